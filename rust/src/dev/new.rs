//! `fearless dev new NN-slug`: a lesson's skeleton in both languages, written from the
//! templates in `skeleton/`: the lesson (`exercises/NN-slug/`), its solutions (the
//! starting points, marked to be written), its mutants' folder, and its row in the top
//! README's lessons table.
use std::path::{Path, PathBuf};

use crate::exit::{BadInput, Exit};
use crate::layout::Kit;

/// `12-barrier` -> (12, "barrier"), or why it is no lesson folder's name.
pub fn split_name(name: &str) -> Result<(u32, &str), String> {
    let re = regex::Regex::new(r"^([0-9]{2})-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$").unwrap();
    let c =
        re.captures(name).ok_or_else(|| format!("{name:?} is no lesson folder's name: two digits, a dash and an id of lowercase letters, digits and dashes, as `12-barrier`"))?;
    Ok((c[1].parse().unwrap_or(0), c.get(2).map(|m| m.as_str()).unwrap_or_default()))
}

const SOLUTION_MARK_RS: &str =
    "// TODO(author): the reference solution. This is a copy of the starting point: write the\n// solution here; `fearless dev check` says what it lacks until it passes.\n";
const SOLUTION_MARK_ML: &str =
    "(* TODO(author): the reference solution. This is a copy of the starting point: write the\n   solution here; `fearless dev check` says what it lacks until it passes. *)\n";

/// The files of a new lesson, from the kit's root, with their text.
fn files(name: &str, id: &str, number: u32) -> Vec<(PathBuf, String)> {
    let title = format!("{}{}", id[..1].to_uppercase(), id[1..].replace('-', " "));
    let fill = |t: &str| t.replace("{slug}", name).replace("{id}", id).replace("{title}", &title).replace("{number}", &format!("{number:02}"));
    let (ex, sol) = (Path::new("exercises").join(name), Path::new("solutions").join(name));
    let (rs, ml) = (fill(include_str!("skeleton/main.rs")), fill(include_str!("skeleton/main.ml")));
    vec![
        (ex.join("README.md"), fill(include_str!("skeleton/README.md"))),
        (ex.join("exercise.toml"), fill(include_str!("skeleton/exercise.toml"))),
        (ex.join("rust/Cargo.toml"), fill(include_str!("skeleton/Cargo.toml"))),
        (ex.join("rust/src/main.rs"), rs.clone()),
        (ex.join("ocaml/dune"), include_str!("skeleton/dune").to_string()),
        (ex.join("ocaml/dune-project"), "(lang dune 2.9)\n".to_string()),
        (ex.join("ocaml/main.ml"), ml.clone()),
        (sol.join("rust/src/main.rs"), format!("{SOLUTION_MARK_RS}{rs}")),
        (sol.join("ocaml/main.ml"), format!("{SOLUTION_MARK_ML}{ml}")),
        (Path::new("tests/mutants").join(name).join("README.md"), fill(include_str!("skeleton/mutants.md"))),
    ]
}

/// Why `name` cannot be a new lesson of this kit: malformed, its folders there already,
/// its id or number another lesson's.
fn refused(kit: &Kit, name: &str) -> Result<(u32, String), String> {
    let (number, id) = split_name(name)?;
    for dir in [kit.root.join("exercises"), kit.root.join("solutions"), kit.root.join("tests/mutants")] {
        if dir.join(name).exists() {
            return Err(format!("{} exists already: a new lesson needs a new name", dir.join(name).display()));
        }
    }
    for other in std::fs::read_dir(kit.root.join("exercises")).map_err(|e| format!("{}: {e}", kit.root.join("exercises").display()))?.flatten() {
        let other = other.file_name().to_string_lossy().into_owned();
        if let Ok((n, i)) = split_name(&other) {
            if i == id {
                return Err(format!("the id {id:?} is lesson {other}'s already"));
            }
            if n == number {
                return Err(format!("the number {number:02} is lesson {other}'s already: lessons go in the order of their numbers"));
            }
        }
    }
    Ok((number, id.to_string()))
}

pub fn run(kit: &Kit, name: &str) -> Result<Exit, BadInput> {
    let (number, id) = refused(kit, name).map_err(|e| BadInput::Said(format!("dev new: {e}")))?;
    for (path, text) in files(name, &id, number) {
        let path = kit.root.join(path);
        write(&path, &text)?;
        println!("wrote {}", path.display());
    }
    let readme = kit.root.join("README.md");
    match add_row(&readme, name, &id) {
        Ok(()) => println!("added {name} to the lessons table of {}", readme.display()),
        Err(e) => println!("could not add {name} to the lessons table: {e}; add its row by hand"),
    }
    println!("next: fill in the TODOs (docs/authoring.md), write three mutants per language, then `fearless dev check {id}`");
    Ok(Exit::Done)
}

fn write(path: &Path, text: &str) -> Result<(), BadInput> {
    let made = path.parent().map(std::fs::create_dir_all).transpose().and_then(|_| std::fs::write(path, text));
    made.map_err(|source| BadInput::File { what: format!("{}: cannot write", path.display()), source })
}

/// Puts the lesson's row in the top README's lessons table, in the order of the folders.
fn add_row(readme: &Path, name: &str, id: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(readme).map_err(|e| e.to_string())?;
    let row = format!("| [{name}](exercises/{name}/README.md) | `{id}` | TODO: the summary of exercise.toml. |");
    let mut lines: Vec<&str> = text.lines().collect();
    let head = lines.iter().position(|l| l.starts_with("| lesson | id |")).ok_or("it has no `| lesson | id | ... |` table")?;
    let rows = lines[head + 2..].iter().take_while(|l| l.starts_with("| [")).count();
    let at = head + 2 + lines[head + 2..head + 2 + rows].iter().take_while(|l| **l < row.as_str()).count();
    lines.insert(at, &row);
    std::fs::write(readme, lines.join("\n") + "\n").map_err(|e| e.to_string())
}
