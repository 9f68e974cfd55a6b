#include "report/report_doc.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace wasmhop::report {

DocBlock& Doc::add(DocBlock::Kind kind, std::string text) {
  DocBlock& b = blocks_.emplace_back();
  b.kind = kind;
  b.text = std::move(text);
  return b;
}

void Doc::heading(int level, std::string text) { add(DocBlock::Kind::heading, std::move(text)).level = level; }
void Doc::paragraph(std::string text) { add(DocBlock::Kind::paragraph, std::move(text)); }
void Doc::bullets(std::vector<std::string> items) { add(DocBlock::Kind::bullets).items = std::move(items); }
void Doc::table(DocTable t) { add(DocBlock::Kind::table).table = std::move(t); }
void Doc::image(std::filesystem::path png, std::string caption) {
  add(DocBlock::Kind::image, std::move(caption)).image = std::move(png);
}
void Doc::code(std::string text) { add(DocBlock::Kind::code, std::move(text)); }
void Doc::details_begin(std::string summary) { add(DocBlock::Kind::details_begin, std::move(summary)); }
void Doc::details_end() { add(DocBlock::Kind::details_end); }

std::string base64_encode(std::string_view in) {
  static constexpr char kTable[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += kTable[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += kTable[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string inline_html(std::string_view text) {
  std::string out;
  bool bold = false;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '`') {
      const auto end = text.find('`', i + 1);
      if (end != std::string_view::npos) {
        out += "<code>" + html_escape(text.substr(i + 1, end - i - 1)) + "</code>";
        i = end + 1;
        continue;
      }
    }
    if (text.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i += 2;
      continue;
    }
    out += html_escape(text.substr(i, 1));
    ++i;
  }
  if (bold) out += "</strong>";
  return out;
}

namespace {

std::string md_cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

std::string to_markdown(const Doc& doc, const std::filesystem::path& base_dir) {
  std::ostringstream md;
  md << "# " << doc.title << "\n\n";
  if (!doc.subtitle.empty()) md << doc.subtitle << "\n\n";
  for (const auto& b : doc.blocks()) {
    switch (b.kind) {
      case DocBlock::Kind::heading:
        md << std::string(static_cast<std::size_t>(std::max(1, b.level)), '#') << ' ' << b.text << "\n\n";
        break;
      case DocBlock::Kind::paragraph: md << b.text << "\n\n"; break;
      case DocBlock::Kind::bullets:
        for (const auto& i : b.items) md << "- " << i << '\n';
        md << '\n';
        break;
      case DocBlock::Kind::table: {
        const auto& t = b.table;
        if (t.header.empty()) break;
        md << '|';
        for (const auto& h : t.header) md << ' ' << md_cell(h) << " |";
        md << "\n|";
        for (std::size_t c = 0; c < t.header.size(); ++c) {
          md << (c < t.right.size() && t.right[c] ? "---:|" : "---|");
        }
        md << '\n';
        for (const auto& row : t.rows) {
          md << '|';
          for (std::size_t c = 0; c < t.header.size(); ++c) md << ' ' << md_cell(c < row.size() ? row[c] : "") << " |";
          md << '\n';
        }
        md << '\n';
        break;
      }
      case DocBlock::Kind::image: {
        std::error_code ec;
        auto rel = std::filesystem::relative(b.image, base_dir, ec);
        md << "![" << b.text << "](" << (ec ? b.image.string() : rel.string()) << ")\n\n*" << b.text << "*\n\n";
        break;
      }
      case DocBlock::Kind::code: md << "```sh\n" << b.text << (b.text.ends_with('\n') ? "" : "\n") << "```\n\n"; break;
      case DocBlock::Kind::details_begin: md << "**" << b.text << "**\n\n"; break;
      case DocBlock::Kind::details_end: break;
    }
  }
  return md.str();
}

namespace {

// The page's head: title and style sheet.
void html_head(std::ostringstream& h, const std::string& title) {
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << html_escape(title)
    << "</title>\n<style>\n"
       "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;max-width:1200px;margin:24px auto;"
       "padding:0 20px;color:#1b1f24;line-height:1.45;font-size:15px}\n"
       "h1{font-size:26px;margin-bottom:4px}h2{font-size:20px;border-bottom:1px solid #d0d7de;padding-bottom:4px;"
       "margin-top:32px}h3{font-size:16px;margin-top:22px}\n"
       ".subtitle{color:#57606a;margin-top:0}\n"
       "table{border-collapse:collapse;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #d0d7de;"
       "padding:3px 8px}th{background:#f6f8fa;text-align:left}td.r{text-align:right;font-variant-numeric:"
       "tabular-nums}\n"
       "tr:nth-child(even) td{background:#fbfcfd}\n"
       "figure{margin:12px 0 22px}figure img{max-width:100%;border:1px solid #eaeef2}figcaption{color:#57606a;"
       "font-size:13px}\n"
       "code{background:#f3f4f6;padding:1px 4px;border-radius:4px;font-size:90%}pre{background:#f6f8fa;"
       "padding:10px;overflow-x:auto;border-radius:6px}\n"
       "ul.findings li{margin-bottom:6px}details{margin:10px 0}summary{cursor:pointer;font-weight:600}\n"
       "</style>\n</head>\n<body>\n";
}

void html_table(std::ostringstream& h, const DocTable& t) {
  h << "<table>\n<tr>";
  for (const auto& c : t.header) h << "<th>" << inline_html(c) << "</th>";
  h << "</tr>\n";
  for (const auto& row : t.rows) {
    h << "<tr>";
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      const bool r = c < t.right.size() && t.right[c];
      h << (r ? "<td class=\"r\">" : "<td>") << inline_html(c < row.size() ? row[c] : "") << "</td>";
    }
    h << "</tr>\n";
  }
  h << "</table>\n";
}

// The image inline (base64), so that the page is one file.
Status html_image(std::ostringstream& h, const DocBlock& b) {
  std::ifstream in(b.image, std::ios::binary);
  if (!in) return fail(ErrorKind::io_error, fmt::format("cannot read image '{}'", b.image.string()));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  h << "<figure><img alt=\"" << html_escape(b.text) << "\" src=\"data:image/png;base64,"
    << base64_encode(bytes.str()) << "\"><figcaption>" << inline_html(b.text) << "</figcaption></figure>\n";
  return {};
}

}  // namespace

Result<std::string> to_html(const Doc& doc) {
  std::ostringstream h;
  html_head(h, doc.title);
  h << "<h1>" << inline_html(doc.title) << "</h1>\n";
  if (!doc.subtitle.empty()) h << "<p class=\"subtitle\">" << inline_html(doc.subtitle) << "</p>\n";
  bool first_list = true;
  for (const auto& b : doc.blocks()) {
    switch (b.kind) {
      case DocBlock::Kind::heading: {
        const int l = std::clamp(b.level, 1, 6);
        h << "<h" << l << ">" << inline_html(b.text) << "</h" << l << ">\n";
        break;
      }
      case DocBlock::Kind::paragraph: h << "<p>" << inline_html(b.text) << "</p>\n"; break;
      case DocBlock::Kind::bullets:
        h << (first_list ? "<ul class=\"findings\">\n" : "<ul>\n");
        first_list = false;
        for (const auto& i : b.items) h << "<li>" << inline_html(i) << "</li>\n";
        h << "</ul>\n";
        break;
      case DocBlock::Kind::table: html_table(h, b.table); break;
      case DocBlock::Kind::image:
        if (auto st = html_image(h, b); !st) return tl::unexpected(st.error());
        break;
      case DocBlock::Kind::code: h << "<pre><code>" << html_escape(b.text) << "</code></pre>\n"; break;
      case DocBlock::Kind::details_begin: h << "<details><summary>" << inline_html(b.text) << "</summary>\n"; break;
      case DocBlock::Kind::details_end: h << "</details>\n"; break;
    }
  }
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace wasmhop::report
