#include "service/table_writer.h"

#include <charconv>
#include <cmath>

#include "common/log.h"
#include "common/utf8.h"

namespace ap::service {

Result<ExportFormat> ParseExportFormat(std::string_view text) {
  if (text.empty() || text == "csv") return ExportFormat::kCsv;
  if (text == "json") return ExportFormat::kJson;
  return InvalidArgument("must be csv or json", "format");
}

std::string_view ExportFormatName(ExportFormat f) { return f == ExportFormat::kCsv ? "csv" : "json"; }

std::string_view ExportContentType(ExportFormat f) {
  return f == ExportFormat::kCsv ? "text/csv; charset=utf-8" : "application/json";
}

Cell Cell::Number(double v) {
  if (!std::isfinite(v)) return Null();
  constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
  if (v == std::trunc(v) && std::fabs(v) <= kExactIntegers) return Integer(static_cast<int64_t>(v));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return Null();
  return Cell{Kind::kNumber, std::string(buf, end)};
}

void AppendCsvCell(const Cell& cell, std::string* out) {
  if (cell.kind == Cell::Kind::kNull) return;
  if (cell.kind == Cell::Kind::kNumber) {
    out->append(cell.text);
    return;
  }
  std::string text = ToValidUtf8(cell.text);
  // A spreadsheet would run "=HYPERLINK(...)" and friends; the apostrophe makes the cell plain text.
  if (!text.empty()) {
    char c = text.front();
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    out->append(text);
    return;
  }
  out->push_back('"');
  for (char c : text) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

TableWriter::TableWriter(ExportFormat format, bool bom, std::vector<std::string> columns)
    : format_(format), bom_(bom), columns_(std::move(columns)) {}

void TableWriter::Begin(std::string* out) {
  if (format_ == ExportFormat::kJson) {
    out->append("[");
    return;
  }
  if (bom_) out->append("\xEF\xBB\xBF");
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendCsvCell(Cell::Text(columns_[i]), out);
  }
  out->append("\r\n");
}

void TableWriter::Write(const Row& row, std::string* out) {
  if (format_ == ExportFormat::kCsv) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out->push_back(',');
      AppendCsvCell(row[i], out);
    }
    out->append("\r\n");
    return;
  }
  out->append(first_row_ ? "\n{" : ",\n{");
  first_row_ = false;
  for (size_t i = 0; i < row.size() && i < columns_.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->push_back('"');
    log::AppendJsonEscaped(out, columns_[i]);
    out->append("\":");
    const Cell& c = row[i];
    switch (c.kind) {
      case Cell::Kind::kNull:
        out->append("null");
        break;
      case Cell::Kind::kNumber:
        out->append(c.text);
        break;
      case Cell::Kind::kText:
        out->push_back('"');
        log::AppendJsonEscaped(out, c.text);  // replaces ill-formed UTF-8 itself
        out->push_back('"');
        break;
    }
  }
  out->push_back('}');
}

void TableWriter::End(std::string* out) {
  if (format_ == ExportFormat::kJson) out->append(first_row_ ? "]\n" : "\n]\n");
}

}  // namespace ap::service
