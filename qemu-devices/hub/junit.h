// --junit FILE: a JUnit XML report of one `ampvp run`, in the Ant/Jenkins
// layout GitLab, Jenkins and GitHub test reporters read
// (tests/integration/junit.xsd is the schema the tests validate it against):
//
//   <testsuites>
//     <testsuite name="SUITE" id="0" package="ampvp" tests= failures= errors= time= timestamp= hostname=>
//       <properties>machine, board, images, exit status</properties>
//       <testcase classname="SUITE" name="expect: PATTERN" time="time to match"/>
//       <testcase ... name="expect-not: PATTERN"><failure message= type="forbidden">..</failure></testcase>
//       <testcase ... name="run"><error ...>why the run ended</error></testcase>   (see below)
//       <system-out>the console</system-out>
//       <system-err>ampvp's own messages</system-err>
//
// One test case per --expect / --expect-not.  A "run" test case is added when
// there is no expectation, or when the run failed (exit status != 0) without
// any expectation failing (e.g. a core died after every line was seen).
#pragma once

#include "console.h"

#include <string>
#include <utility>
#include <vector>

namespace ampvp {

struct JunitReport {
    std::string suite;                 // test suite and class name
    std::string timestamp;             // ISO 8601, UTC, no zone (as the schema wants)
    std::string hostname;
    double time_s = 0;                 // the whole run
    int exit_code = 0;
    std::string reason;                // why the run ended (its error line), "" for exit 0
    bool ordered = false;              // --expect-order
    std::vector<Expectation> expectations;
    std::vector<std::pair<std::string, std::string>> properties;
    std::string system_out;            // console lines, '\n'-terminated
    std::string system_err;            // hub messages, '\n'-terminated
};

// The report as XML text (UTF-8; control characters and invalid UTF-8 bytes
// become "\xNN" text, so the document is always well-formed).
std::string junit_xml(const JunitReport &r);

// Write `text` to `path` so that a reader sees the old file or the whole new
// one, never a part: a temporary file next to it, fsync, rename.  Throws
// std::runtime_error naming the file on failure (the temporary is removed).
void write_file_atomically(const std::string &path, const std::string &text);

// What an exit status of `ampvp run` means, in a few words (docs/user-guide.md
// has the table).
const char *exit_status_meaning(int code);

// Collects what a run's report needs while it runs: the console (through
// Console::on_line) and the hub's messages (a Log tee, removed again by the
// destructor).
class JunitRecorder {
public:
    JunitRecorder(std::string path, std::string suite);
    ~JunitRecorder();
    JunitRecorder(const JunitRecorder &) = delete;
    JunitRecorder &operator=(const JunitRecorder &) = delete;

    void console_line(const std::string &line);
    // Build and write the report.  `expectations` as the console left them.
    // Returns false (after logging one error line) if the file cannot be written.
    bool write(JunitReport r);

    const std::string &path() const { return path_; }
    const std::string &suite() const { return suite_; }

private:
    std::string path_, suite_;
    std::string out_, err_;
    std::string first_error_; // the line that ended the run, usually
};

} // namespace ampvp
