// One YAML document to JSON: scalars by the core schema, mappings with merge keys, and the
// depth and node limits that stop deep nesting and alias bombs.
#include "manifest/yaml_document.hpp"

#include <yaml-cpp/yaml.h>

#include <exception>
#include <vector>

#include "manifest/line_recorder.hpp"
#include "manifest/yaml_scalar.hpp"

namespace albwebhook::manifest::detail {
namespace {

using nlohmann::json;

constexpr const char* kBadMerge = "the merge key << needs a mapping or a list of mappings";

class YamlToJson {
 public:
  YamlToJson(LineMap* lines, int first_line) : lines_(lines), first_line_(first_line) {}

  // The line in the file of a node of this document.
  int LineOf(const YAML::Node& node) const { return first_line_ + node.Mark().line; }
  LineRecorder& lines() { return lines_; }

  json Convert(const YAML::Node& node, int depth) {
    if (depth > kMaxDepth)
      throw ConvertError{"nested deeper than " + std::to_string(kMaxDepth) + " levels",
                         node.Mark()};
    if (++nodes_ > kMaxNodes)
      throw ConvertError{"more than " + std::to_string(kMaxNodes) + " nodes (alias expansion?)",
                         node.Mark()};
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        return ResolveScalar(node);
      case YAML::NodeType::Sequence: {
        json array = json::array();
        std::size_t index = 0;
        for (const auto& child : node) {
          const std::size_t mark = lines_.Enter(index++, LineOf(child));
          array.push_back(Convert(child, depth + 1));
          lines_.Leave(mark);
        }
        return array;
      }
      case YAML::NodeType::Map:
        return ConvertMap(node, depth);
      default:
        return nullptr;
    }
  }

 private:
  json ConvertMap(const YAML::Node& node, int depth) {
    json object = json::object();
    std::vector<YAML::Node> merges;
    for (const auto& pair : node) {
      const YAML::Node& key_node = pair.first;
      std::string key;
      if (key_node.IsScalar()) {
        key = key_node.Scalar();
        if (key == "<<" && key_node.Tag() == "?") {
          merges.push_back(pair.second);
          continue;
        }
      } else if (key_node.IsNull()) {
        key = "null";
      } else {
        throw ConvertError{"a mapping key must be a scalar", key_node.Mark()};
      }
      json& slot = NewKey(object, key, key_node);  // before the value: duplicates first
      const std::size_t mark = lines_.Enter(key, LineOf(key_node));
      slot = Convert(pair.second, depth + 1);
      lines_.Leave(mark);
    }
    for (const auto& merge : merges) Merge(object, merge, depth);
    return object;
  }

  // The one place a written key enters the JSON (key_node.Mark() is where it stands); the
  // caller fills in the value.
  static json& NewKey(json& object, const std::string& key, const YAML::Node& key_node) {
    if (object.contains(key))
      throw ConvertError{"mapping key \"" + key + "\" already defined", key_node.Mark()};
    return object[key];
  }

  // Merge keys: keys written in the mapping win, then earlier merged mappings (their lines too:
  // the recorder keeps the first line given for a pointer).
  void Merge(json& object, const YAML::Node& merge, int depth) {
    std::vector<YAML::Node> sources;
    if (merge.IsMap()) {
      sources.push_back(merge);
    } else if (merge.IsSequence()) {
      for (const auto& s : merge) sources.push_back(s);
    }
    for (const auto& source : sources) {
      if (!source.IsMap()) throw ConvertError{kBadMerge, merge.Mark()};
      json merged = Convert(source, depth + 1);
      for (auto& [k, v] : merged.items()) {
        if (!object.contains(k)) object[k] = std::move(v);
      }
    }
    if (sources.empty()) throw ConvertError{kBadMerge, merge.Mark()};
  }

  std::size_t nodes_ = 0;
  LineRecorder lines_;
  int first_line_;
};

std::string Position(const YAML::Mark& mark, int first_line) {
  if (mark.line < 0) return "";
  return " at line " + std::to_string(first_line + mark.line) + ", column " +
         std::to_string(mark.column + 1);
}

}  // namespace

ManifestDocument ParseYamlDocument(const std::string& text, int index, int first_line,
                                   Positions positions) {
  ManifestDocument doc;
  doc.index = index;
  doc.line = first_line;
  try {
    const YAML::Node node = YAML::Load(text);
    if (!node.IsDefined() || node.IsNull()) {
      doc.empty = true;
      return doc;
    }
    YamlToJson converter(positions == Positions::kKeep ? &doc.lines : nullptr, first_line);
    converter.lines().Root(converter.LineOf(node));
    doc.value = converter.Convert(node, 0);
  } catch (const YAML::Exception& e) {
    doc.error = "invalid YAML" + Position(e.mark, first_line) + ": " + e.msg;
  } catch (const ConvertError& e) {
    doc.error = "invalid YAML" + Position(e.mark, first_line) + ": " + e.message;
  } catch (const std::exception& e) {
    doc.error = std::string("invalid YAML: ") + e.what();
  }
  if (!doc.error.empty()) {
    doc.value = nullptr;
    doc.lines.clear();
  }
  return doc;
}

}  // namespace albwebhook::manifest::detail
