//! A minimal JSON writer: the engine's results cross to the command line and
//! to JavaScript as JSON text. Non-finite numbers are written as null.

use std::fmt::{self, Display, Write};

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

/// An object from `(key, value)` pairs, in order.
pub fn obj<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Json)>) -> Json {
    Json::Obj(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

impl From<f64> for Json {
    fn from(x: f64) -> Self { Json::Num(x) }
}
impl From<usize> for Json {
    fn from(x: usize) -> Self { Json::Num(x as f64) }
}
impl From<u64> for Json {
    fn from(x: u64) -> Self { Json::Num(x as f64) }
}
impl From<bool> for Json {
    fn from(x: bool) -> Self { Json::Bool(x) }
}
impl From<&str> for Json {
    fn from(x: &str) -> Self { Json::Str(x.to_string()) }
}
impl From<String> for Json {
    fn from(x: String) -> Self { Json::Str(x) }
}
impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(x: Option<T>) -> Self { x.map_or(Json::Null, Into::into) }
}
impl From<&[f64]> for Json {
    fn from(x: &[f64]) -> Self { Json::Arr(x.iter().map(|&v| Json::Num(v)).collect()) }
}

fn write_str(f: &mut fmt::Formatter, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => write!(f, "{b}"),
            // Rust prints the shortest text that parses back to the same f64.
            Json::Num(x) if x.is_finite() => write!(f, "{x}"),
            Json::Num(_) => f.write_str("null"),
            Json::Str(s) => write_str(f, s),
            Json::Arr(items) => {
                f.write_char('[')?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_char(']')
            }
            Json::Obj(pairs) => {
                f.write_char('{')?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_str(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_char('}')
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_values_and_escapes() {
        let j = obj([("a", Json::from(1.5)), ("b", Json::from("x\"y\\\n")), ("c", Json::Arr(vec![Json::Null, true.into(), f64::NAN.into()]))]);
        assert_eq!(j.to_string(), r#"{"a":1.5,"b":"x\"y\\\n","c":[null,true,null]}"#);
    }

    #[test]
    fn numbers_round_trip() {
        for x in [0.1, 1e-300, 123456789.0, -2.5e17] {
            assert_eq!(Json::from(x).to_string().parse::<f64>().unwrap(), x);
        }
    }
}
