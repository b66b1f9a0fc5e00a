//! A minimal JSON writer and reader: the engine's results cross to the command line and
//! to JavaScript as JSON text, and come back for merging shards (`Json::parse`).
//! Non-finite numbers are written as null.

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
    fn from(x: f64) -> Self {
        Json::Num(x)
    }
}
impl From<usize> for Json {
    fn from(x: usize) -> Self {
        Json::Num(x as f64)
    }
}
impl From<u64> for Json {
    fn from(x: u64) -> Self {
        Json::Num(x as f64)
    }
}
impl From<bool> for Json {
    fn from(x: bool) -> Self {
        Json::Bool(x)
    }
}
impl From<&str> for Json {
    fn from(x: &str) -> Self {
        Json::Str(x.to_string())
    }
}
impl From<String> for Json {
    fn from(x: String) -> Self {
        Json::Str(x)
    }
}
impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(x: Option<T>) -> Self {
        x.map_or(Json::Null, Into::into)
    }
}
impl From<&[f64]> for Json {
    fn from(x: &[f64]) -> Self {
        Json::Arr(x.iter().map(|&v| Json::Num(v)).collect())
    }
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

impl Json {
    /// Reads JSON text (RFC 8259; numbers as f64). Errors name the byte offset.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut r = Reader { s: text.as_bytes(), i: 0 };
        let v = r.value()?;
        r.space();
        if r.i < r.s.len() {
            return Err(r.error("text after the value"));
        }
        Ok(v)
    }

    /// An object's value at `key`.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn error(&self, what: &str) -> String {
        format!("JSON: {what} at byte {}", self.i)
    }

    fn space(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        let ok = self.s[self.i..].starts_with(word.as_bytes());
        if ok {
            self.i += word.len();
        }
        ok
    }

    fn value(&mut self) -> Result<Json, String> {
        self.space();
        match self.s.get(self.i) {
            None => Err(self.error("unexpected end")),
            Some(b'{') => {
                self.i += 1;
                let mut pairs = Vec::new();
                self.space();
                if self.eat("}") {
                    return Ok(Json::Obj(pairs));
                }
                loop {
                    self.space();
                    let k = self.string()?;
                    self.space();
                    if !self.eat(":") {
                        return Err(self.error("expected ':'"));
                    }
                    pairs.push((k, self.value()?));
                    self.space();
                    if self.eat("}") {
                        return Ok(Json::Obj(pairs));
                    }
                    if !self.eat(",") {
                        return Err(self.error("expected ',' or '}'"));
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.space();
                if self.eat("]") {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value()?);
                    self.space();
                    if self.eat("]") {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(",") {
                        return Err(self.error("expected ',' or ']'"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            _ if self.eat("null") => Ok(Json::Null),
            _ if self.eat("true") => Ok(Json::Bool(true)),
            _ if self.eat("false") => Ok(Json::Bool(false)),
            _ => {
                let start = self.i;
                while self.i < self.s.len() && matches!(self.s[self.i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    self.i += 1;
                }
                let t = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
                match t.parse::<f64>() {
                    Ok(x) if x.is_finite() && !t.starts_with('+') && !t.starts_with('.') => Ok(Json::Num(x)),
                    _ => {
                        self.i = start;
                        Err(self.error("expected a value"))
                    }
                }
            }
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if !self.eat("\"") {
            return Err(self.error("expected a string"));
        }
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.s.get(self.i) else { return Err(self.error("unterminated string")) };
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).map_err(|_| self.error("invalid UTF-8")),
                b'\\' => {
                    let Some(&e) = self.s.get(self.i) else { return Err(self.error("unterminated string")) };
                    self.i += 1;
                    let c = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = |r: &mut Self| -> Result<u32, String> {
                                let h =
                                    r.s.get(r.i..r.i + 4)
                                        .and_then(|h| std::str::from_utf8(h).ok())
                                        .and_then(|h| u32::from_str_radix(h, 16).ok());
                                r.i += 4;
                                h.ok_or_else(|| r.error("bad \\u escape"))
                            };
                            let mut u = hex(self)?;
                            if (0xd800..0xdc00).contains(&u) && self.eat("\\u") {
                                u = 0x10000 + ((u - 0xd800) << 10) + (hex(self)? - 0xdc00);
                            }
                            char::from_u32(u).ok_or_else(|| self.error("bad \\u escape"))?
                        }
                        _ => return Err(self.error("bad escape")),
                    };
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                }
                c if c < 0x20 => return Err(self.error("control character in a string")),
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_values_and_escapes() {
        let j = obj([
            ("a", Json::from(1.5)),
            ("b", Json::from("x\"y\\\n")),
            ("c", Json::Arr(vec![Json::Null, true.into(), f64::NAN.into()])),
        ]);
        assert_eq!(j.to_string(), r#"{"a":1.5,"b":"x\"y\\\n","c":[null,true,null]}"#);
    }

    #[test]
    fn numbers_round_trip() {
        for x in [0.1, 1e-300, 123456789.0, -2.5e17] {
            assert_eq!(Json::from(x).to_string().parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn reads_back_what_it_writes() {
        let j = obj([
            ("a", Json::from(0.1)),
            (
                "b",
                Json::Arr(vec![Json::Null, true.into(), false.into(), Json::from(-2.5e-300), Json::from(123456789.0)]),
            ),
            ("c", Json::from("x\"y\\\n\u{1}é")),
            ("d", obj([("e", Json::Arr(vec![])), ("f", Json::Obj(vec![]))])),
        ]);
        assert_eq!(Json::parse(&j.to_string()), Ok(j.clone()));
        assert_eq!(
            Json::parse(" { \"a\" : [ 1 , 2e3 ] , \"b\":\"\\u00e9\\ud83d\\ude00\\/\" } ").unwrap(),
            obj([("a", Json::Arr(vec![1.0.into(), 2000.0.into()])), ("b", "é😀/".into())])
        );
        assert_eq!(j.get("d").and_then(|d| d.get("e")), Some(&Json::Arr(vec![])));
    }

    #[test]
    fn malformed_text_is_refused() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "tru",
            "1 2",
            "\"abc",
            "+1",
            ".5",
            "1e999",
            "\"\\x\"",
            "[\"a\nb\"]",
            "nan",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
    }
}
