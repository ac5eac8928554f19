//! The two languages the reports speak.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// Reads `en`, `zh` and locale tags such as `zh-CN` or `en_US.UTF-8`.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase();
        if tag.starts_with("zh") {
            Some(Lang::Zh)
        } else if tag.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A fixed text in both languages. Write it with [`text!`](crate::text):
/// in WebAssembly builds the Chinese is left out of the binary and found at
/// run time in the catalog the page fetches when it speaks Chinese
/// ([`load_chinese`]); native builds compile both in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    pub en: &'static str,
    /// Empty in WebAssembly builds.
    pub zh: &'static str,
}

/// `text!("English", "中文")`: a [`Text`] whose Chinese stays out of the
/// WebAssembly binary (see [`Text`]). `static/zh.json`, the page's catalog,
/// is generated from these (a test keeps it current).
#[macro_export]
macro_rules! text {
    ($en:expr, $zh:expr $(,)?) => {{
        #[cfg(not(target_arch = "wasm32"))]
        let text = $crate::i18n::Text { en: $en, zh: $zh };
        #[cfg(target_arch = "wasm32")]
        let text = $crate::i18n::Text { en: $en, zh: "" };
        text
    }};
}

impl Text {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            #[cfg(not(target_arch = "wasm32"))]
            Lang::Zh => self.zh,
            #[cfg(target_arch = "wasm32")]
            Lang::Zh => chinese(self.en).unwrap_or(self.en),
        }
    }
}

/// The Chinese catalog, sorted by its English keys, once loaded.
static CHINESE: std::sync::OnceLock<Vec<(&'static str, &'static str)>> = std::sync::OnceLock::new();

/// Loads the Chinese catalog (`static/zh.json`: an object from each English
/// text to its Chinese). Once per process: later calls keep the first.
/// Returns how many texts it holds, or what is wrong with the JSON.
pub fn load_chinese(json: &str) -> Result<usize, String> {
    if let Some(loaded) = CHINESE.get() {
        return Ok(loaded.len());
    }
    let map: std::collections::BTreeMap<String, String> =
        serde_json::from_str(json).map_err(|e| e.to_string())?;
    // Leaked once: the texts live as long as the page, like the English.
    let pairs: Vec<(&'static str, &'static str)> = map
        .into_iter()
        .map(|(en, zh)| {
            (
                &*Box::leak(en.into_boxed_str()),
                &*Box::leak(zh.into_boxed_str()),
            )
        })
        .collect();
    let n = pairs.len();
    let _ = CHINESE.set(pairs);
    Ok(n)
}

/// Whether the Chinese catalog is loaded (natively it is compiled in).
pub fn chinese_ready() -> bool {
    cfg!(not(target_arch = "wasm32")) || CHINESE.get().is_some()
}

/// The Chinese of an English text, from the loaded catalog.
pub fn chinese(en: &str) -> Option<&'static str> {
    let pairs = CHINESE.get()?;
    pairs
        .binary_search_by(|(k, _)| (*k).cmp(en))
        .ok()
        .map(|i| pairs[i].1)
}
