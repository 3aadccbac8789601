// Console multiplexer: lines per core, prefixes, --expect / --expect-not matching.
#include "console.h"

#include <gtest/gtest.h>

using namespace ampvp;

namespace {

struct ConsoleTest : ::testing::Test {
    std::vector<std::string> lines;
    Console con{"USART3", [this](const std::string &l) { lines.push_back(l); }};
    void put(const std::string &s, const char *core, const char *dev = "USART3")
    {
        BusAccess a;
        a.core_name = core;
        for (char c : s) {
            con.put_char(dev, a, static_cast<uint8_t>(c));
        }
    }
};

TEST_F(ConsoleTest, InterleavedCharactersFromTwoCoresStayOnTheirOwnLines)
{
    put("he", "cm7");
    put("wo", "cm4");
    put("llo\r\n", "cm7");
    put("rld\n", "cm4");
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "[cm7] hello");
    EXPECT_EQ(lines[1], "[cm4] world");
}

TEST_F(ConsoleTest, OtherUartsAreNamedInThePrefix)
{
    put("x\n", "cm4", "USART1");
    EXPECT_EQ(lines[0], "[cm4:USART1] x");
}

TEST_F(ConsoleTest, NonPrintableBytesAreEscaped)
{
    put(std::string("a\x01z\n"), "cm7");
    EXPECT_EQ(lines[0], "[cm7] a\\x01z");
}

TEST_F(ConsoleTest, ExpectationsAreMetOnceEveryPatternMatched)
{
    con.expect("\\[cm7\\] done");
    con.expect("cm4.*done");
    EXPECT_FALSE(con.all_seen());
    put("done\n", "cm7");
    EXPECT_FALSE(con.all_seen());
    EXPECT_EQ(con.unseen(), std::vector<std::string>{"cm4.*done"});
    put("all done\n", "cm4");
    EXPECT_TRUE(con.all_seen());
}

TEST_F(ConsoleTest, FlushPrintsPartialLines)
{
    put("partial", "cm4");
    EXPECT_TRUE(lines.empty());
    con.flush();
    EXPECT_EQ(lines[0], "[cm4] partial");
}

TEST_F(ConsoleTest, BadPatternThrows) { EXPECT_THROW(con.expect("(unclosed"), std::regex_error); }

TEST_F(ConsoleTest, BadForbiddenPatternThrows)
{
    EXPECT_THROW(con.expect_not("[unclosed"), std::regex_error);
}

// Unordered (the default): patterns match in any order, one line may satisfy several.
TEST_F(ConsoleTest, UnorderedExpectationsMatchInAnyOrderAndShareALine)
{
    con.expect("b");
    con.expect("a");
    con.expect("c");
    put("a\n", "cm7");
    put("b c\n", "cm4");
    EXPECT_TRUE(con.all_seen());
}

// --expect-order: a pattern seen before its predecessor does not count.
TEST_F(ConsoleTest, OrderedPatternSeenBeforeItsPredecessorDoesNotCount)
{
    con.set_ordered(true);
    con.expect("first");
    con.expect("second");
    put("second\n", "cm4");
    put("first\n", "cm7");
    EXPECT_FALSE(con.all_seen());
    EXPECT_EQ(con.unseen(), std::vector<std::string>{"second"});
    put("second again\n", "cm4");
    EXPECT_TRUE(con.all_seen());
    EXPECT_EQ(con.expectations()[1].line, "[cm4] second again");
}

TEST_F(ConsoleTest, OrderedOneLineSatisfiesOnlyTheNextPattern)
{
    con.set_ordered(true);
    con.expect("x");
    con.expect("x");
    put("x\n", "cm7");
    EXPECT_EQ(con.unseen(), std::vector<std::string>{"x"});
    put("x\n", "cm7");
    EXPECT_TRUE(con.all_seen());
}

TEST_F(ConsoleTest, OrderedUnseenDescriptionNamesTheLineThatCameTooEarly)
{
    con.set_ordered(true);
    con.expect("boot");
    con.expect("ready");
    put("ready\n", "cm4");
    EXPECT_EQ(con.describe_unseen(), "'boot', 'ready' (matched before 'boot': [cm4] ready)");
}

TEST_F(ConsoleTest, UnorderedUnseenDescriptionListsThePatterns)
{
    con.expect("a");
    con.expect("b");
    EXPECT_EQ(con.describe_unseen(), "'a', 'b'");
}

TEST_F(ConsoleTest, ForbiddenLineIsReportedAtOnceWithPatternAndLine)
{
    std::vector<std::string> hits;
    con.on_forbidden([&](const Expectation &e) { hits.push_back(e.pattern + " | " + e.line); });
    con.expect_not("Error_Handler|ASSERT");
    put("all fine\n", "cm7");
    EXPECT_EQ(con.forbidden(), nullptr);
    put("ASSERT failed: x\n", "cm4");
    ASSERT_EQ(hits.size(), 1u);
    EXPECT_EQ(hits[0], "Error_Handler|ASSERT | [cm4] ASSERT failed: x");
    ASSERT_NE(con.forbidden(), nullptr);
    EXPECT_EQ(con.forbidden()->line, "[cm4] ASSERT failed: x");
    put("in Error_Handler\n", "cm7"); // the first match is the one kept and told
    EXPECT_EQ(hits.size(), 1u);
}

TEST_F(ConsoleTest, ForbiddenPatternsAreNotExpectations)
{
    con.expect_not("panic");
    EXPECT_FALSE(con.expecting());
    EXPECT_TRUE(con.all_seen());
    con.expect("done");
    EXPECT_TRUE(con.expecting());
    EXPECT_EQ(con.unseen(), std::vector<std::string>{"done"});
}

TEST_F(ConsoleTest, ForbiddenPatternsMatchInOrderedModeToo)
{
    bool hit = false;
    con.set_ordered(true);
    con.expect("a");
    con.expect_not("bad");
    con.expect("b");
    con.on_forbidden([&](const Expectation &) { hit = true; });
    put("a bad\n", "cm7");
    EXPECT_TRUE(hit);
    put("b\n", "cm7");
    EXPECT_TRUE(con.all_seen());
}

TEST_F(ConsoleTest, MatchesCarryTheTimeOfTheirLine)
{
    uint64_t now = 1000;
    con.set_clock([&] { return now; });
    con.expect("one");
    con.expect("two");
    put("one\n", "cm7");
    now = 2500;
    put("two\n", "cm7");
    EXPECT_EQ(con.expectations()[0].at_ns, 1000u);
    EXPECT_EQ(con.expectations()[1].at_ns, 2500u);
}

TEST_F(ConsoleTest, WholeLinesFromOtherSourcesAreMatchedLikeUartLines)
{
    con.expect("^\\[rproc\\] up$");
    con.line("rproc", "up");
    EXPECT_TRUE(con.all_seen());
}

} // namespace
