// TableWriter: rows of cells written as CSV (RFC 4180) or as one JSON array of objects, piece by piece, for the
// exports (service/export_service.h). Pure formatting: no I/O.
//
// CSV: a header row of the column names, CRLF line ends, a field quoted when it holds ',', '"', CR or LF (quotes
// doubled), UTF-8 (ill-formed bytes become U+FFFD), an optional UTF-8 BOM first (for spreadsheet programs that
// otherwise guess a legacy encoding). Spreadsheet formula injection is neutralised: a text cell starting with
// '=', '+', '-', '@', TAB or CR gets a leading apostrophe (OWASP's advice); number cells are written as numbers
// and never altered. A null cell is an empty field — never 0.
// JSON: "[" then one object per row ({"column": value, ...} in column order; text as strings, numbers as numbers,
// null as null), separated by ",\n", then "]\n". No BOM (RFC 8259 forbids one).
//
// Thread safety: not thread-safe; one writer per export.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ap::service {

enum class ExportFormat { kCsv, kJson };
// "csv" | "json"; InvalidArgument("format") otherwise. Empty means csv.
Result<ExportFormat> ParseExportFormat(std::string_view text);
std::string_view ExportFormatName(ExportFormat f);  // "csv" | "json"
// The Content-Type of a format: "text/csv; charset=utf-8" | "application/json".
std::string_view ExportContentType(ExportFormat f);

// One cell: text, a number (kept as its formatted text) or null (missing: an empty CSV field, JSON null).
struct Cell {
  enum class Kind { kNull, kText, kNumber };
  Kind kind = Kind::kNull;
  std::string text;

  static Cell Null() { return Cell{}; }
  static Cell Text(std::string s) { return Cell{Kind::kText, std::move(s)}; }
  // Integral values up to 2^53 as integers ("2000000"), others in the shortest round-trip form; NaN and
  // infinities become null.
  static Cell Number(double v);
  static Cell Integer(int64_t v) { return Cell{Kind::kNumber, std::to_string(v)}; }
  static Cell OptNumber(const std::optional<double>& v) { return v ? Number(*v) : Null(); }
  static Cell OptInteger(const std::optional<int64_t>& v) { return v ? Integer(*v) : Null(); }
  // Text, or null when empty.
  static Cell OptText(std::string s) { return s.empty() ? Null() : Text(std::move(s)); }
};
using Row = std::vector<Cell>;

class TableWriter {
 public:
  // `bom` adds a UTF-8 BOM before a CSV header (ignored for JSON; ExportService refuses the combination).
  TableWriter(ExportFormat format, bool bom, std::vector<std::string> columns);

  // Appends what comes before the first row (BOM and header row, or "[") to *out. Call once, first.
  void Begin(std::string* out);
  // Appends one row. REQUIRES: Begin() was called; row.size() == the number of columns.
  void Write(const Row& row, std::string* out);
  // Appends what ends the document (nothing for CSV, "]\n" for JSON). Call once, last.
  void End(std::string* out);

 private:
  void AppendCsvField(const Cell& cell, std::string* out) const;
  ExportFormat format_;
  bool bom_;
  std::vector<std::string> columns_;
  bool first_row_ = true;
};

// Appends one CSV field for `cell` to *out (the rules above). Exposed for tests.
void AppendCsvCell(const Cell& cell, std::string* out);

}  // namespace ap::service
