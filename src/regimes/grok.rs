//! Placeholder until the study is built: registered so that the page and the command line know its name.

use super::{Spec, Study, Values};
use crate::json::{obj, Json};

pub const SPEC: Spec = Spec { name: "grok", title: "Grokking as lazy to rich", params: &[], open };

struct Empty;

impl Study for Empty {
    fn advance(&mut self, _: usize) -> bool { false }
    fn progress(&mut self) -> Json { obj([("done", Json::from(0usize)), ("total", Json::from(0usize))]) }
    fn report(&self) -> Json { Json::Null }
    fn table(&self) -> String { String::new() }
}

fn open(_: &Values) -> Box<dyn Study> { Box::new(Empty) }
