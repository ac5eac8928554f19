//! Finding the pasted lines of a key path in block YAML or pretty JSON.
//!
//! serde_yaml and serde_json give values without positions. kubectl prints
//! block-style YAML and indented JSON, where every key starts its own line and
//! nesting shows as indentation, so one indentation outline serves both: it
//! maps `spec.selector` to the lines that hold it, for evidence.

use crate::read::text::indent_of;

#[derive(Clone, Debug)]
struct Line {
    /// 1-based line number in the source.
    no: usize,
    /// Column of the first non-blank character (of the `-` for list items).
    start: usize,
    /// Column of the key, after any `- `.
    key_indent: usize,
    key: Option<String>,
    /// Starts a sequence item (`- ` in YAML, `{` in JSON).
    item: bool,
    /// Closes a JSON object or array (`}`, `],`).
    closer: bool,
}

/// An indentation outline of some lines.
#[derive(Clone, Debug)]
pub struct Outline {
    lines: Vec<Line>,
}

/// A block of the outline: the lines of one key's value, or of one item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    start: usize,
    end: usize,
    /// The first line is the node's own key line, not one of its children.
    header: bool,
}

impl Outline {
    /// Builds the outline of `lines`, numbered from `first_no`. Blank lines
    /// and comments are left out.
    pub fn new<'a>(lines: impl IntoIterator<Item = &'a str>, first_no: usize) -> Outline {
        let mut out = Vec::new();
        for (i, text) in lines.into_iter().enumerate() {
            let trimmed = text.trim();
            if trimmed.is_empty()
                || trimmed.starts_with('#')
                || crate::read::text::is_elision(trimmed)
            {
                continue;
            }
            let start = indent_of(text);
            let mut rest = trimmed;
            let mut key_indent = start;
            let mut item = false;
            if let Some(after) =
                rest.strip_prefix("- ")
                    .or(if rest == "-" { Some("") } else { None })
            {
                item = true;
                let extra = after.len() - after.trim_start().len();
                key_indent = start + 2 + extra;
                rest = after.trim_start();
            } else if rest.starts_with('{') {
                item = true;
            }
            out.push(Line {
                no: first_no + i,
                start,
                key_indent,
                key: key_of(rest),
                item,
                closer: rest.starts_with(['}', ']']),
            });
        }
        Outline { lines: out }
    }

    /// The whole outline.
    pub fn root(&self) -> Node {
        Node {
            start: 0,
            end: self.lines.len(),
            header: false,
        }
    }

    /// First and last source line of a node.
    pub fn span(&self, node: Node) -> Option<[usize; 2]> {
        let first = self.lines.get(node.start)?;
        let last = self.lines.get(node.end.checked_sub(1)?)?;
        Some([first.no, last.no])
    }

    fn children_range(&self, node: Node) -> std::ops::Range<usize> {
        let start = if node.header {
            node.start + 1
        } else {
            node.start
        };
        start.min(node.end)..node.end
    }

    /// The value block of `key` directly under `node`: the first line with that
    /// key at the shallowest key indentation among the node's lines.
    pub fn child(&self, node: Node, key: &str) -> Option<Node> {
        let range = self.children_range(node);
        let lines = self.lines.get(range.clone())?;
        let depth = lines
            .iter()
            .filter(|l| l.key.is_some())
            .map(|l| l.key_indent)
            .min()?;
        let offset = lines
            .iter()
            .position(|l| l.key_indent == depth && l.key.as_deref() == Some(key))?;
        let start = range.start + offset;
        Some(Node {
            start,
            end: self.block_end(start, node.end),
            header: true,
        })
    }

    /// Follows a path of keys from `node`.
    pub fn path(&self, node: Node, path: &[&str]) -> Option<Node> {
        path.iter().try_fold(node, |n, key| self.child(n, key))
    }

    /// The items of a sequence node.
    pub fn items(&self, node: Node) -> Vec<Node> {
        let range = self.children_range(node);
        let Some(lines) = self.lines.get(range.clone()) else {
            return Vec::new();
        };
        let Some(depth) = lines.iter().filter(|l| l.item).map(|l| l.start).min() else {
            return Vec::new();
        };
        let starts: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.item && l.start == depth)
            .map(|(i, _)| range.start + i)
            .collect();
        starts
            .iter()
            .enumerate()
            .map(|(k, &start)| Node {
                start,
                end: starts.get(k + 1).copied().unwrap_or(range.end),
                header: false,
            })
            .collect()
    }

    /// Where the block that starts at line index `start` ends: at the next
    /// line that is less indented, or as indented and not a list item of it.
    fn block_end(&self, start: usize, limit: usize) -> usize {
        let Some(head) = self.lines.get(start) else {
            return start;
        };
        let indent = head.key_indent;
        let mut end = start + 1;
        while end < limit {
            let Some(line) = self.lines.get(end) else {
                break;
            };
            if line.start == indent && line.closer {
                // A JSON value's closing bracket belongs to it.
                end += 1;
                break;
            }
            let closes = line.start < indent || (line.start == indent && !line.item);
            if closes {
                break;
            }
            end += 1;
        }
        end
    }
}

/// The key of a `key: value` or `"key": value` line.
fn key_of(rest: &str) -> Option<String> {
    if let Some(quoted) = rest.strip_prefix('"') {
        let close = quoted.find('"')?;
        let after = quoted.get(close + 1..)?.trim_start();
        return after.starts_with(':').then(|| quoted[..close].to_string());
    }
    let colon = rest.find(':')?;
    let after = &rest[colon + 1..];
    // `selector:.`: a stray character the YAML reader forgives (see
    // `parse::k8s`), so the key is still where it is.
    let stray = after.len() == 1 && matches!(after, "." | "," | ";" | "`" | "'");
    if !(after.is_empty() || after.starts_with(' ') || after.starts_with('\t') || stray) {
        return None;
    }
    let key = rest[..colon].trim().trim_matches('\'');
    (!key.is_empty() && !key.contains(' ')).then(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "apiVersion: v1
items:
- kind: Service
  metadata:
    name: web
  spec:
    ports:
    - port: 80
      targetPort: 8080
    selector:
      app: web
- kind: Deployment
  spec:
    selector:
      matchLabels:
        app: web
kind: List";

    #[test]
    fn finds_yaml_paths_inside_list_items() {
        let o = Outline::new(YAML.lines(), 1);
        let items = o.items(o.child(o.root(), "items").unwrap());
        assert_eq!(items.len(), 2);
        assert_eq!(o.span(items[0]), Some([3, 11]));
        let sel = o.path(items[0], &["spec", "selector"]).unwrap();
        assert_eq!(o.span(sel), Some([10, 11]));
        let ports = o.path(items[0], &["spec", "ports"]).unwrap();
        assert_eq!(o.span(ports), Some([7, 9]));
        let ml = o
            .path(items[1], &["spec", "selector", "matchLabels"])
            .unwrap();
        assert_eq!(o.span(ml), Some([15, 16]));
        assert_eq!(o.span(o.child(o.root(), "kind").unwrap()), Some([17, 17]));
    }

    #[test]
    fn finds_json_paths() {
        let json = "{\n    \"kind\": \"Service\",\n    \"spec\": {\n        \"selector\": {\n            \"app\": \"web\"\n        },\n        \"type\": \"ClusterIP\"\n    }\n}";
        let o = Outline::new(json.lines(), 10);
        let items = o.items(o.root());
        assert_eq!(items.len(), 1);
        let sel = o.path(items[0], &["spec", "selector"]).unwrap();
        assert_eq!(o.span(sel), Some([13, 15]));
    }

    #[test]
    fn keys() {
        assert_eq!(key_of("app: web").as_deref(), Some("app"));
        assert_eq!(key_of("\"app\": \"web\"").as_deref(), Some("app"));
        assert_eq!(key_of("image: nginx:1.25").as_deref(), Some("image"));
        assert_eq!(key_of("http://x"), None);
        assert_eq!(key_of("Server: 10.0.0.1").as_deref(), Some("Server"));
    }
}
