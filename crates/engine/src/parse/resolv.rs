//! `/etc/resolv.conf`, read the way glibc's resolver reads it: keywords only
//! at the start of a line (an indented line is ignored), `#` and `;` comment
//! lines, the first three nameservers used, the last `search`/`domain` line
//! winning, `options` accumulating.

use crate::model::{Model, ResolvConf};
use crate::parse::Context;
use crate::report::Severity;

/// glibc's MAXNS.
const MAX_NAMESERVERS: usize = 3;

pub fn parse(cx: &mut Context<'_>, model: &mut Model) {
    let body = cx.body();
    let Some(&(first, _)) = body.first() else {
        return;
    };
    let last = body.last().map_or(first, |(n, _)| *n);
    let mut conf = ResolvConf {
        origin: cx.origin([first, last]),
        ..ResolvConf::default()
    };
    for (no, line) in body {
        let trimmed = line.trim();
        if trimmed.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        let mut words = line.split_whitespace();
        let keyword = words.next().unwrap_or("");
        let known = matches!(
            keyword,
            "nameserver" | "search" | "domain" | "options" | "sortlist"
        );
        if line.starts_with([' ', '\t']) {
            if known {
                cx.say(
                    no,
                    Severity::Warning,
                    crate::text!(
                        "indented '{keyword}' line: the resolver ignores it",
                        "缩进的 '{keyword}' 行：解析器会忽略它"
                    ),
                    &[("keyword", keyword)],
                );
            }
            continue;
        }
        let here = cx.origin([no, no]);
        match keyword {
            "nameserver" => match words.next() {
                Some(ip) => {
                    conf.all_nameservers.push(ip.to_string());
                    if conf.nameservers.len() < MAX_NAMESERVERS {
                        conf.nameservers.push(ip.to_string());
                        conf.nameserver_origin = Some(match conf.nameserver_origin {
                            Some(o) => cx.origin([o.lines[0], no]),
                            None => here,
                        });
                    } else {
                        cx.say(
                            no,
                            Severity::Warning,
                            crate::text!(
                                "nameserver {ip} is past the third: the resolver ignores it",
                                "nameserver {ip} 是第三个之后的：解析器会忽略它"
                            ),
                            &[("ip", ip)],
                        );
                    }
                }
                None => cx.say(
                    no,
                    Severity::Warning,
                    crate::text!("nameserver without an address", "nameserver 后面没有地址"),
                    &[],
                ),
            },
            "search" | "domain" => {
                // The last search or domain line replaces earlier ones.
                conf.search = words.map(str::to_string).collect();
                conf.search_origin = Some(here);
            }
            "options" => {
                for option in words {
                    if let Some(n) = option.strip_prefix("ndots:") {
                        match n.parse::<u32>() {
                            Ok(n) => conf.ndots = Some(n.min(15)),
                            Err(_) => cx.say(
                                no,
                                Severity::Warning,
                                crate::text!("'{option}' is not a number", "'{option}' 不是数字"),
                                &[("option", option)],
                            ),
                        }
                    }
                    conf.options.push(option.to_string());
                }
                conf.options_origin = Some(here);
            }
            "sortlist" => conf.sortlist = words.map(str::to_string).collect(),
            _ => cx.say(
                no,
                Severity::Info,
                crate::text!(
                    "'{keyword}' is not a resolv.conf keyword; ignored",
                    "'{keyword}' 不是 resolv.conf 的关键字；已忽略"
                ),
                &[("keyword", keyword)],
            ),
        }
    }
    model.resolvers.push(conf);
}
