// A small document model for generated reports, rendered to Markdown and to one self-contained HTML
// page (images embedded as base64 data URIs, inline CSS). Text may use **bold** and `code`; the
// renderers escape everything else.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "wasmhop/result.hpp"

namespace wasmhop::report {

struct DocTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right;  // right-align column i (numbers); missing = left
};

struct DocBlock {
  enum class Kind { heading, paragraph, bullets, table, image, code, details_begin, details_end };
  Kind kind = Kind::paragraph;
  int level = 2;                       // heading
  std::string text;                    // heading / paragraph / code / image caption / details summary
  std::vector<std::string> items;      // bullets
  DocTable table;
  std::filesystem::path image;         // absolute path of a PNG
};

class Doc {
 public:
  std::string title;
  std::string subtitle;

  void heading(int level, std::string text);
  void paragraph(std::string text);
  void bullets(std::vector<std::string> items);
  void table(DocTable t);
  void image(std::filesystem::path png, std::string caption);
  void code(std::string text);
  // A collapsible part of the HTML page (Markdown: a plain heading-less section).
  void details_begin(std::string summary);
  void details_end();

  [[nodiscard]] const std::vector<DocBlock>& blocks() const noexcept { return blocks_; }

 private:
  DocBlock& add(DocBlock::Kind kind, std::string text = {});  // appends a block, returns it
  std::vector<DocBlock> blocks_;
};

// Image paths are written relative to `base_dir` (the directory of the .md file).
[[nodiscard]] std::string to_markdown(const Doc& doc, const std::filesystem::path& base_dir);
// Errors: an image that cannot be read.
[[nodiscard]] Result<std::string> to_html(const Doc& doc);

[[nodiscard]] std::string base64_encode(std::string_view bytes);
[[nodiscard]] std::string html_escape(std::string_view text);
// **bold** and `code` to <strong>/<code>, the rest escaped.
[[nodiscard]] std::string inline_html(std::string_view text);

}  // namespace wasmhop::report
