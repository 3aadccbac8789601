// Console multiplexer: lines per core, prefixes, --expect matching.
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

} // namespace
