use std::process::Command;

/// Holds 160 MiB, touched, for two seconds.
fn hold() {
    let v = vec![1u8; 160 << 20];
    std::thread::sleep(std::time::Duration::from_secs(2));
    println!("held {}", v.iter().map(|b| *b as usize).sum::<usize>());
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("hold") {
        hold();
        return;
    }
    let me = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2).map(|_| Command::new(&me).arg("hold").spawn().unwrap()).collect();
    for mut c in children {
        let _ = c.wait();
    }
    println!("hello from a worker");
    println!("hello from main");
}
