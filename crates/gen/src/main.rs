//! `svcdoctor-gen FORMAT SERVICES [ENDPOINTS] [SEED]`: prints a generated
//! large-cluster artifact (`iptables`, `ipvs`, `nft` or `yaml`).

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: svcdoctor-gen iptables|ipvs|nft|yaml SERVICES [ENDPOINTS=5] [SEED=1]";
    let (Some(format), Some(Ok(services))) =
        (args.first(), args.get(1).map(|n| n.parse::<usize>()))
    else {
        eprintln!("{usage}");
        return ExitCode::from(2);
    };
    let per = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
    let seed = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(1);
    let svcs = svcdoctor_gen::cluster(seed, services, per);
    let text = match format.as_str() {
        "iptables" => svcdoctor_gen::iptables(&svcs),
        "ipvs" => svcdoctor_gen::ipvs(&svcs),
        "nft" => svcdoctor_gen::nft(&svcs),
        "yaml" => svcdoctor_gen::yaml(&svcs),
        _ => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
