//! A minimal JSON writer and reader: the engine's results cross to the command line and
//! to JavaScript as JSON text, and come back for merging shards (`Json::parse`).
//! Non-finite numbers are written as null.

use std::fmt::{self, Display, Write};

/// Text that is not JSON: what is wrong and at which byte. (`settings::SettingError` takes it as
/// code `format`; kept apart so that this module needs no other.)
#[derive(Clone, Debug, PartialEq)]
pub struct ParseError(pub String);

impl Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

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
    /// Reads JSON text strictly by RFC 8259 (numbers as f64; ones past f64's range are refused, as
    /// the RFC allows). Errors name the byte offset.
    pub fn parse(text: &str) -> Result<Json, ParseError> {
        let mut r = Reader { text, s: text.as_bytes(), i: 0, depth: 0 };
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

    /// An object's number at `key` as a report wrote it: null is NaN (non-finite numbers are written
    /// as null); `None` where the key is missing or not a number.
    pub fn number(&self, key: &str) -> Option<f64> {
        match self.get(key)? {
            Json::Num(x) => Some(*x),
            Json::Null => Some(f64::NAN),
            _ => None,
        }
    }
}

/// The reader recurses once per array or object, so nesting is bounded to bound the stack (wasm's
/// is small); the engine's own reports nest a few levels deep.
const MAX_DEPTH: usize = 256;

struct Reader<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Reader<'_> {
    fn error(&self, what: &str) -> ParseError {
        ParseError(format!("JSON: {what} at byte {}", self.i))
    }

    /// RFC 8259's whitespace: space, tab, line feed and carriage return only.
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

    fn value(&mut self) -> Result<Json, ParseError> {
        self.space();
        match self.s.get(self.i) {
            None => Err(self.error("unexpected end")),
            Some(b'{') => self.nested(|r| {
                let mut pairs = Vec::new();
                r.space();
                if r.eat("}") {
                    return Ok(Json::Obj(pairs));
                }
                loop {
                    r.space();
                    let k = r.string()?;
                    r.space();
                    if !r.eat(":") {
                        return Err(r.error("expected ':'"));
                    }
                    pairs.push((k, r.value()?));
                    r.space();
                    if r.eat("}") {
                        return Ok(Json::Obj(pairs));
                    }
                    if !r.eat(",") {
                        return Err(r.error("expected ',' or '}'"));
                    }
                }
            }),
            Some(b'[') => self.nested(|r| {
                let mut items = Vec::new();
                r.space();
                if r.eat("]") {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(r.value()?);
                    r.space();
                    if r.eat("]") {
                        return Ok(Json::Arr(items));
                    }
                    if !r.eat(",") {
                        return Err(r.error("expected ',' or ']'"));
                    }
                }
            }),
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ if self.eat("null") => Ok(Json::Null),
            _ if self.eat("true") => Ok(Json::Bool(true)),
            _ if self.eat("false") => Ok(Json::Bool(false)),
            _ => Err(self.error("expected a value")),
        }
    }

    /// An array or object: steps past its opening bracket and reads the rest with `body`, one level deeper.
    fn nested(&mut self, body: impl FnOnce(&mut Self) -> Result<Json, ParseError>) -> Result<Json, ParseError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error(&format!("nested deeper than {MAX_DEPTH} levels")));
        }
        self.i += 1;
        self.depth += 1;
        let v = body(self);
        self.depth -= 1;
        v
    }

    /// Steps past a run of ASCII digits and says whether there was at least one.
    fn digits(&mut self) -> bool {
        let start = self.i;
        while self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            self.i += 1;
        }
        self.i > start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, checked here since Rust's f64 parser
    /// also takes `01`, `1.`, `.5`, `+1`, `inf` and `NaN`; it then reads the checked text.
    fn number(&mut self) -> Result<Json, ParseError> {
        let start = self.i;
        self.eat("-");
        if !self.eat("0") && !self.digits() {
            return Err(self.error("expected a digit"));
        }
        if self.s.get(self.i).is_some_and(u8::is_ascii_digit) {
            return Err(self.error("leading zero in a number"));
        }
        if self.eat(".") && !self.digits() {
            return Err(self.error("expected a digit after '.'"));
        }
        if self.eat("e") || self.eat("E") {
            let _ = self.eat("+") || self.eat("-");
            if !self.digits() {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        match self.text[start..self.i].parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Json::Num(x)),
            _ => {
                self.i = start;
                Err(self.error("number out of f64's range"))
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        if !self.eat("\"") {
            return Err(self.error("expected a string"));
        }
        let mut out = String::new();
        loop {
            // Runs without quotes, escapes or control characters are copied whole; they start and end
            // at ASCII bytes, so they are whole UTF-8 characters.
            let run = self.i;
            while self.s.get(self.i).is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20) {
                self.i += 1;
            }
            out.push_str(&self.text[run..self.i]);
            match self.s.get(self.i) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.i += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error("unescaped control character in a string")),
            }
        }
    }

    /// The character an escape after its backslash stands for; a UTF-16 surrogate pair is one character.
    fn escape(&mut self) -> Result<char, ParseError> {
        let Some(&e) = self.s.get(self.i) else { return Err(self.error("unterminated string")) };
        self.i += 1;
        Ok(match e {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let u = self.hex4()?;
                let u = match u {
                    0xd800..=0xdbff => {
                        if !self.eat("\\u") {
                            return Err(self.error("high surrogate without a low one"));
                        }
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(self.error("high surrogate without a low one"));
                        }
                        0x10000 + ((u - 0xd800) << 10) + (low - 0xdc00)
                    }
                    0xdc00..=0xdfff => return Err(self.error("low surrogate without a high one")),
                    u => u,
                };
                // Surrogates are handled above, so every remaining value is a character.
                char::from_u32(u).expect("a scalar value")
            }
            _ => {
                self.i -= 1;
                return Err(self.error("invalid escape"));
            }
        })
    }

    /// The four hex digits of a `\u` escape (`u32::from_str_radix` alone would also take a sign).
    fn hex4(&mut self) -> Result<u32, ParseError> {
        let h = self.s.get(self.i..self.i + 4).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        let Some(h) = h else { return Err(self.error("expected four hex digits after \\u")) };
        self.i += 4;
        Ok(h.iter().fold(0, |u, &d| u * 16 + (d as char).to_digit(16).unwrap()))
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
    fn numbers_follow_rfc_8259_grammar() {
        for (text, x) in [
            ("0", 0.0f64),
            ("-0", -0.0),
            ("7", 7.0),
            ("-12", -12.0),
            ("0.5", 0.5),
            ("-0.25", -0.25),
            ("10.0", 10.0),
            ("1e3", 1e3),
            ("1E3", 1e3),
            ("1e+3", 1e3),
            ("1e-3", 1e-3),
            ("0e0", 0.0),
            ("2.5E-2", 0.025),
            ("1e007", 1e7),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("4.9e-324", 4.9e-324),
        ] {
            let got = Json::parse(text);
            assert!(matches!(got, Ok(Json::Num(y)) if y.to_bits() == x.to_bits()), "{text:?}: {got:?}");
        }
        for bad in [
            "01",
            "-01",
            "00",
            "1.",
            "-1.",
            "1.e3",
            ".5",
            "-.5",
            "+1",
            "-",
            "--1",
            "- 1",
            "1e",
            "1e+",
            "1e-",
            "1E",
            "1ee3",
            "1.5.2",
            "0x10",
            "1_000",
            "NaN",
            "nan",
            "Infinity",
            "-Infinity",
            "inf",
            "1e999",
            "-1e999",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn strings_decode_escapes_and_surrogate_pairs() {
        for (text, want) in [
            (r#""""#, ""),
            (r#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
            (r#""\u0041\u00e9\u20AC""#, "Aé€"),
            (r#""\u0000""#, "\0"),
            (r#""\ud83d\ude00""#, "😀"),
            (r#""\uD834\uDD1E!""#, "𝄞!"),
            (r#""\udbff\udfff""#, "\u{10ffff}"),
            ("\"é😀 \u{7f}\"", "é😀 \u{7f}"),
        ] {
            assert_eq!(Json::parse(text), Ok(Json::Str(want.into())), "{text:?}");
        }
    }

    #[test]
    fn bad_strings_are_refused_with_the_reason() {
        for (bad, why) in [
            (r#""\ud800\u0041""#, "high surrogate without a low one"),
            (r#""\ud800""#, "high surrogate without a low one"),
            (r#""\ud800x""#, "high surrogate without a low one"),
            (r#""\ud83d\ud83d""#, "high surrogate without a low one"),
            (r#""\ude00""#, "low surrogate without a high one"),
            (r#""\ude00\ud83d""#, "low surrogate without a high one"),
            (r#""\x""#, "invalid escape"),
            (r#""\U0041""#, "invalid escape"),
            (r#""\'""#, "invalid escape"),
            (r#""\u12""#, "expected four hex digits"),
            (r#""\u12g4""#, "expected four hex digits"),
            (r#""\u+123""#, "expected four hex digits"),
            (r#""\ud83d\u+e00""#, "expected four hex digits"),
            ("\"abc", "unterminated string"),
            ("\"abc\\", "unterminated string"),
            ("\"a\nb\"", "unescaped control character"),
            ("\"a\tb\"", "unescaped control character"),
            ("\"\u{0}\"", "unescaped control character"),
            ("\"\u{1f}\"", "unescaped control character"),
        ] {
            let got = Json::parse(bad);
            assert!(matches!(&got, Err(e) if e.0.contains(why)), "{bad:?}: {got:?}");
        }
    }

    #[test]
    fn structure_and_whitespace_follow_rfc_8259() {
        for good in ["null", " true ", "\t\n\r false\r\n", "[]", "{}", "[[],{}]", "{\"a\":{\"b\":[null]}}", "\"\""] {
            assert!(Json::parse(good).is_ok(), "{good:?}");
        }
        // Duplicate keys are kept in order (RFC 8259 leaves their meaning open); `get` finds the first.
        assert_eq!(Json::parse(r#"{"a":1,"a":2}"#).unwrap().get("a"), Some(&Json::Num(1.0)));
        for bad in [
            "",
            " ",
            "{",
            "[",
            "]",
            "[1,]",
            "[,1]",
            "[1,,2]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "{,}",
            "{\"a\"}",
            "{a:1}",
            "{'a':1}",
            "{1:1}",
            "['a']",
            "tru",
            "True",
            "nul",
            "nulll",
            "1 2",
            "[1]x",
            "x[1]",
            "{}}",
            "\u{feff}1",
            "\u{a0}1",
            "\u{b}1",
            "\u{c}1",
            "1\u{0}",
            "/* c */ 1",
        ] {
            assert!(Json::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let nest = |n: usize| "[".repeat(n) + &"]".repeat(n);
        assert!(Json::parse(&nest(MAX_DEPTH)).is_ok());
        let got = Json::parse(&nest(MAX_DEPTH + 1));
        assert!(matches!(&got, Err(e) if e.0.contains("nested deeper")), "{got:?}");
        let objs = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        assert!(Json::parse(&objs).is_err());
        // Depth is counted per path, not in total.
        assert!(Json::parse(&format!("[{}]", vec![nest(MAX_DEPTH - 1); 3].join(","))).is_ok());
    }

    #[test]
    fn errors_name_the_byte_offset() {
        assert_eq!(Json::parse("[1, 01]"), Err(ParseError("JSON: leading zero in a number at byte 5".into())));
        assert_eq!(Json::parse("[\"é\\x\"]"), Err(ParseError("JSON: invalid escape at byte 5".into())));
        assert_eq!(Json::parse("1 2"), Err(ParseError("JSON: text after the value at byte 2".into())));
    }
}
