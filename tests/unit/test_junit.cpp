// --junit: the report's XML (counts, failures, escaping) and its atomic write.
#include "junit.h"
#include "log.h"
#include "runner.h"
#include "test_helpers.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

using namespace ampvp;

namespace {

Expectation expect(const std::string &p, bool matched, uint64_t at_ns = 0, const std::string &line = "")
{
    return {Expectation::Expect, p, matched, at_ns, line, ""};
}
Expectation expect_not(const std::string &p, bool matched, uint64_t at_ns = 0,
                       const std::string &line = "")
{
    return {Expectation::ExpectNot, p, matched, at_ns, line, ""};
}

JunitReport report()
{
    JunitReport r;
    r.suite = "hello";
    r.timestamp = "2024-01-02T03:04:05";
    r.hostname = "ci";
    r.time_s = 2.5;
    return r;
}

size_t count(const std::string &s, const std::string &what)
{
    size_t n = 0;
    for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) {
        n++;
    }
    return n;
}

TEST(Junit, OneTestCasePerExpectationWithItsTimeToMatch)
{
    JunitReport r = report();
    r.expectations = {expect("CM7 done", true, 1250000000, "[cm7] CM7 done"),
                      expect_not("ASSERT", false)};
    const std::string x = junit_xml(r);
    EXPECT_EQ(count(x, "<testcase "), 2u);
    EXPECT_NE(x.find("<testcase name=\"expect: CM7 done\" classname=\"hello\" time=\"1.250\"/>"),
              std::string::npos)
        << x;
    // A forbidden pattern never seen passes, timed over the whole run.
    EXPECT_NE(x.find("<testcase name=\"expect-not: ASSERT\" classname=\"hello\" time=\"2.500\"/>"),
              std::string::npos);
    EXPECT_NE(x.find("tests=\"2\" failures=\"0\" errors=\"0\""), std::string::npos);
}

TEST(Junit, AnExpectationNotSeenFailsWithTheReasonTheRunEnded)
{
    JunitReport r = report();
    r.exit_code = EXIT_TIMEOUT;
    r.reason = "timeout after 3 s; never saw 'late'";
    r.expectations = {expect("early", true, 5000000), expect("late", false)};
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("<failure message=\"never saw a line matching 'late': timeout after 3 s; "
                     "never saw 'late'\" type=\"not-seen\">"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find("tests=\"2\" failures=\"1\" errors=\"0\""), std::string::npos);
    EXPECT_EQ(count(x, "name=\"run\""), 0u); // the failure is the expectation's
}

TEST(Junit, AForbiddenLineFailsItsTestCaseWithTheLine)
{
    JunitReport r = report();
    r.exit_code = EXIT_FORBIDDEN;
    r.expectations = {expect("done", false), expect_not("Error_Handler", true, 750000000,
                                                        "[cm4] in Error_Handler")};
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("<testcase name=\"expect-not: Error_Handler\" classname=\"hello\" "
                     "time=\"0.750\">\n      <failure message=\"forbidden line seen at 0.750 s: "
                     "[cm4] in Error_Handler\" type=\"forbidden\">"),
              std::string::npos)
        << x;
}

TEST(Junit, OrderedFailureNamesTheLineThatCameTooEarly)
{
    JunitReport r = report();
    r.exit_code = EXIT_TIMEOUT;
    r.ordered = true;
    r.expectations = {expect("boot", false), expect("ready", false)};
    r.expectations[1].early_line = "[cm7] ready";
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("(a line matched before 'boot' was seen: [cm7] ready)"), std::string::npos) << x;
    EXPECT_NE(x.find("<property name=\"expect-order\" value=\"true\"/>"), std::string::npos);
}

TEST(Junit, ARunWithoutExpectationsIsOneTestCaseCarryingTheExitStatus)
{
    JunitReport r = report();
    EXPECT_NE(junit_xml(r).find("<testcase name=\"run\" classname=\"hello\" time=\"2.500\"/>"),
              std::string::npos);
    r.exit_code = EXIT_CORE_DIED;
    r.reason = "core cm4 died: QEMU was killed by signal 9";
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("<error message=\"core cm4 died: QEMU was killed by signal 9\" "
                     "type=\"exit-status-4\">"),
              std::string::npos)
        << x;
    EXPECT_NE(x.find("tests=\"1\" failures=\"0\" errors=\"1\""), std::string::npos);
}

TEST(Junit, ARunThatFailsAfterEveryExpectationPassedGetsARunTestCase)
{
    JunitReport r = report();
    r.exit_code = EXIT_CORE_DIED;
    r.reason = "core cm7 died";
    r.expectations = {expect("done", true, 1)};
    const std::string x = junit_xml(r);
    EXPECT_EQ(count(x, "<testcase "), 2u);
    EXPECT_NE(x.find("tests=\"2\" failures=\"0\" errors=\"1\""), std::string::npos);
}

TEST(Junit, ConsoleAndHubMessagesAreSystemOutAndSystemErr)
{
    JunitReport r = report();
    r.system_out = "[cm7] a < b & c\n";
    r.system_err = "ampvp: warning: x\n";
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("<system-out>[cm7] a &lt; b &amp; c\n</system-out>"), std::string::npos) << x;
    EXPECT_NE(x.find("<system-err>ampvp: warning: x\n</system-err>"), std::string::npos);
}

TEST(Junit, AttributesEscapeQuotesAndKeepNewlines)
{
    JunitReport r = report();
    r.suite = "a\"b";
    r.expectations = {expect("\"x\"\n<y>", false)};
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("name=\"expect: &quot;x&quot;&#10;&lt;y&gt;\""), std::string::npos) << x;
    EXPECT_NE(x.find("<testsuite name=\"a&quot;b\""), std::string::npos);
}

// XML 1.0 has no control characters other than tab, LF, CR, and needs valid UTF-8.
TEST(Junit, ControlCharactersAndInvalidUtf8BecomeEscapedText)
{
    JunitReport r = report();
    r.system_out = std::string("bell\x07 bad\xff ok\xc3\xa9 cr\r nul") + '\0' + "\n";
    const std::string x = junit_xml(r);
    EXPECT_NE(x.find("bell\\x07 bad\\xff ok\xc3\xa9 cr\\x0d nul\\x00\n"), std::string::npos) << x;
}

TEST(Junit, ExitStatusesHaveAMeaning)
{
    for (int c : {EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_TIMEOUT, EXIT_CORE_DIED, EXIT_FORBIDDEN,
                  EXIT_SIGINT, EXIT_SIGTERM}) {
        EXPECT_STRNE(exit_status_meaning(c), "unknown exit status") << c;
    }
}

struct TempDir {
    std::string path;
    TempDir()
    {
        char t[] = "/tmp/ampvp-junit-test-XXXXXX";
        path = mkdtemp(t);
    }
    ~TempDir() { std::system(("rm -rf '" + path + "'").c_str()); }
    std::vector<std::string> entries() const
    {
        std::vector<std::string> v;
        DIR *d = opendir(path.c_str());
        while (dirent *e = readdir(d)) {
            if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") {
                v.push_back(e->d_name);
            }
        }
        closedir(d);
        return v;
    }
};

std::string slurp(const std::string &p)
{
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

TEST(Junit, AtomicWriteReplacesTheFileAndLeavesNoTemporary)
{
    TempDir d;
    const std::string p = d.path + "/report.xml";
    write_file_atomically(p, "old");
    write_file_atomically(p, "new contents");
    EXPECT_EQ(slurp(p), "new contents");
    EXPECT_EQ(d.entries(), std::vector<std::string>{"report.xml"});
    struct stat st;
    ASSERT_EQ(stat(p.c_str(), &st), 0);
    EXPECT_NE(st.st_mode & 0044, 0u) << "mode " << std::oct << st.st_mode; // not mkstemp's 0600
}

TEST(Junit, AtomicWriteIntoAMissingDirectoryThrowsNamingTheFile)
{
    TempDir d;
    const std::string p = d.path + "/no/such/dir/report.xml";
    try {
        write_file_atomically(p, "x");
        FAIL() << "no exception";
    } catch (const std::runtime_error &e) {
        EXPECT_NE(std::string(e.what()).find(p + ": cannot create"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(d.entries().empty());
}

TEST(Junit, RecorderWritesConsoleHubMessagesAndTheFirstErrorAsReason)
{
    TempDir d;
    testutil::LogCapture printed;
    {
        JunitRecorder rec(d.path + "/r.xml", "suite1");
        rec.console_line("[cm7] hello");
        log().warn("something odd");
        log().error("core cm4 died: boom");
        log().error("later error");
        JunitReport r;
        r.exit_code = EXIT_CORE_DIED;
        r.time_s = 1;
        ASSERT_TRUE(rec.write(r));
    }
    log().warn("after the recorder"); // the tee is gone
    const std::string x = slurp(d.path + "/r.xml");
    EXPECT_NE(x.find("<testsuite name=\"suite1\""), std::string::npos) << x;
    EXPECT_NE(x.find("<system-out>[cm7] hello\n</system-out>"), std::string::npos) << x;
    EXPECT_NE(x.find("ampvp: warning: something odd\nampvp: error: core cm4 died: boom\n"),
              std::string::npos);
    EXPECT_NE(x.find("<error message=\"core cm4 died: boom\""), std::string::npos) << x;
    EXPECT_EQ(x.find("after the recorder"), std::string::npos);
    EXPECT_EQ(printed.lines.size(), 4u); // the log's own output is unchanged
}

} // namespace
