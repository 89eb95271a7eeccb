// TableWriter: CSV per RFC 4180 (quoting, CRLF), formula neutralising, BOM, UTF-8; the JSON array form.
#include "service/table_writer.h"

#include <gtest/gtest.h>

#include <limits>

#include "status_matchers.h"

namespace ap::service {
namespace {

std::string Csv(const Cell& c) {
  std::string out;
  AppendCsvCell(c, &out);
  return out;
}

TEST(TableWriter, QuotesFieldsWithCommaQuoteCrOrLf) {
  EXPECT_EQ(Csv(Cell::Text("plain")), "plain");
  EXPECT_EQ(Csv(Cell::Text("a,b")), "\"a,b\"");
  EXPECT_EQ(Csv(Cell::Text("say \"hi\"")), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(Csv(Cell::Text("two\nlines")), "\"two\nlines\"");
  EXPECT_EQ(Csv(Cell::Text("cr\rhere")), "\"cr\rhere\"");
  EXPECT_EQ(Csv(Cell::Text("")), "");
}

TEST(TableWriter, NeutralisesFormulasButNotNumbers) {
  EXPECT_EQ(Csv(Cell::Text("=HYPERLINK(\"x\")")), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(Csv(Cell::Text("+1")), "'+1");
  EXPECT_EQ(Csv(Cell::Text("-1")), "'-1");
  EXPECT_EQ(Csv(Cell::Text("@SUM(A1)")), "'@SUM(A1)");
  EXPECT_EQ(Csv(Cell::Text("\tx")), "'\tx");
  EXPECT_EQ(Csv(Cell::Text("\rx")), "\"'\rx\"");
  EXPECT_EQ(Csv(Cell::Text("a=b")), "a=b");  // only a leading character matters
  EXPECT_EQ(Csv(Cell::Number(-5)), "-5");    // numbers stay numbers
  EXPECT_EQ(Csv(Cell::Number(-0.25)), "-0.25");
}

TEST(TableWriter, NumbersAndNulls) {
  EXPECT_EQ(Csv(Cell::Number(2000000)), "2000000");
  EXPECT_EQ(Csv(Cell::Number(0)), "0");  // a real zero is 0
  EXPECT_EQ(Csv(Cell::Number(0.1)), "0.1");
  EXPECT_EQ(Csv(Cell::Null()), "");  // missing is empty, never 0
  EXPECT_EQ(Csv(Cell::OptNumber(std::nullopt)), "");
  EXPECT_EQ(Cell::Number(std::numeric_limits<double>::quiet_NaN()).kind, Cell::Kind::kNull);
  EXPECT_EQ(Csv(Cell::Integer(-7)), "-7");
}

TEST(TableWriter, KeepsUtf8AndReplacesIllFormedBytes) {
  EXPECT_EQ(Csv(Cell::Text("团队 é")), "团队 é");
  EXPECT_EQ(Csv(Cell::Text(std::string("a\xff") + "b")),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(TableWriter, CsvDocumentWithHeaderCrlfAndOptionalBom) {
  TableWriter w(ExportFormat::kCsv, /*bom=*/true, {"name", "value"});
  std::string out;
  w.Begin(&out);
  w.Write({Cell::Text("x,y"), Cell::Number(1.5)}, &out);
  w.Write({Cell::Text("z"), Cell::Null()}, &out);
  w.End(&out);
  EXPECT_EQ(out, "\xEF\xBB\xBFname,value\r\n\"x,y\",1.5\r\nz,\r\n");
  TableWriter plain(ExportFormat::kCsv, false, {"a"});
  std::string p;
  plain.Begin(&p);
  EXPECT_EQ(p, "a\r\n");
}

TEST(TableWriter, JsonArrayOfObjects) {
  TableWriter w(ExportFormat::kJson, /*bom=*/true, {"name", "value", "note"});
  std::string out;
  w.Begin(&out);
  w.Write({Cell::Text("=a\"b"), Cell::Number(2), Cell::Null()}, &out);
  w.Write({Cell::Text("c"), Cell::Null(), Cell::Text("é")}, &out);
  w.End(&out);
  // No BOM in JSON and no formula neutralising (not a spreadsheet format).
  EXPECT_EQ(
      out, "[\n{\"name\":\"=a\\\"b\",\"value\":2,\"note\":null},\n{\"name\":\"c\",\"value\":null,\"note\":\"é\"}\n]\n");
  TableWriter empty(ExportFormat::kJson, false, {"a"});
  std::string e;
  empty.Begin(&e);
  empty.End(&e);
  EXPECT_EQ(e, "[]\n");
}

TEST(TableWriter, ParsesFormat) {
  EXPECT_EQ(*ParseExportFormat(""), ExportFormat::kCsv);
  EXPECT_EQ(*ParseExportFormat("json"), ExportFormat::kJson);
  auto bad = ParseExportFormat("xlsx");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "format");
}

}  // namespace
}  // namespace ap::service
