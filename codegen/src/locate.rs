//! Maps JSON pointers to `line:column` in a YAML file, so diagnostics about a
//! parsed document can point into the text a maintainer edits.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// Where each key and value of a YAML document starts.
#[derive(Debug, Default)]
pub struct Locations {
    keys: HashMap<String, (usize, usize)>,
    values: HashMap<String, (usize, usize)>,
}

/// Escapes one JSON-pointer segment (`/` and `~`).
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The segment `escape` was given back.
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

impl Locations {
    /// Reads `text`; a YAML syntax error is returned with its 1-based line and column.
    pub fn read(text: &str) -> Result<Locations, (String, usize, usize)> {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        parser
            .load(&mut builder, false)
            .map_err(|e| (e.info().to_owned(), e.marker().line(), e.marker().col() + 1))?;
        Ok(builder.locations)
    }

    /// The 1-based `(line, column)` of `pointer`: of its key where it has one,
    /// else of its value, else of the nearest enclosing node that exists.
    pub fn find(&self, pointer: &str) -> (usize, usize) {
        let mut pointer = pointer;
        loop {
            if pointer.is_empty() {
                return (1, 1);
            }
            if let Some(at) = self.keys.get(pointer).or_else(|| self.values.get(pointer)) {
                return *at;
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => return (1, 1),
            }
        }
    }
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

#[derive(Default)]
struct Builder {
    locations: Locations,
    stack: Vec<Frame>,
}

impl Builder {
    fn at(mark: Marker) -> (usize, usize) {
        (mark.line(), mark.col() + 1)
    }

    /// The pointer of a value starting now, or `None` when this scalar is a key.
    fn value_pointer(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { pointer, next }) => {
                let p = format!("{pointer}/{next}");
                *next += 1;
                Some(p)
            }
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some(k) => Some(format!("{pointer}/{}", escape(&k))),
                None => {
                    let k = scalar.unwrap_or_default().to_owned();
                    let p = format!("{pointer}/{}", escape(&k));
                    self.locations.keys.entry(p).or_insert(Self::at(mark));
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                if let Some(p) = self.value_pointer(Some(&value), mark) {
                    self.locations.values.entry(p).or_insert(Self::at(mark));
                }
            }
            Event::Alias(_) => {
                if let Some(p) = self.value_pointer(None, mark) {
                    self.locations.values.entry(p).or_insert(Self::at(mark));
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let pointer = self.value_pointer(None, mark).unwrap_or_default();
                self.locations
                    .values
                    .entry(pointer.clone())
                    .or_insert(Self::at(mark));
                self.stack
                    .push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { pointer, key: None }
                    } else {
                        Frame::Seq { pointer, next: 0 }
                    });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Locations;

    #[test]
    fn pointers_find_keys_values_and_items() {
        let text = "openapi: 3.0.3\npaths:\n  /v1/orders:\n    post:\n      tags: [a, b]\n";
        let at = Locations::read(text).unwrap();
        assert_eq!(at.find(""), (1, 1));
        assert_eq!(at.find("/openapi"), (1, 1));
        assert_eq!(at.find("/paths/~1v1~1orders"), (3, 3));
        assert_eq!(at.find("/paths/~1v1~1orders/post"), (4, 5));
        assert_eq!(at.find("/paths/~1v1~1orders/post/tags/1"), (5, 17));
        assert_eq!(at.find("/paths/~1v1~1orders/post/missing"), (4, 5));
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let (message, line, column) = Locations::read("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(!message.is_empty());
        assert!(line >= 1 && column >= 1, "{line}:{column}");
    }
}
