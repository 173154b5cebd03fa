//! Where a lesson's files are, and which lessons a command means.
//!
//! The kit's root holds `exercises/` (each lesson's `exercise.toml`, build files, kit
//! files and the starting points of its student files) and `solutions/` (the reference
//! solutions' student files). Both are laid out alike, as is every folder a student's
//! code is checked from (`--from`, a submission's `exercises/`, a course's): one folder
//! per lesson, named by its number and id (`03-mpsc`), one per language below it, the
//! student files below that (`03-mpsc/rust/src/main.rs`). A [`Tree`] is such a folder;
//! the [`Kit`] finds the kit, its two trees, its lessons and the ones a command names.
use std::path::{Path, PathBuf};

use crate::lesson::{parse_exercise, Lang, Lesson, LessonError};

/// The folder of the lessons, in the kit or in a copy of it.
pub const EXERCISES: &str = "exercises";
/// The folder of the reference solutions, in the kit.
pub const SOLUTIONS: &str = "solutions";

/// A folder laid out like `exercises/`: `{slug}/{lang}/{student file}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tree {
    dir: PathBuf,
}

impl Tree {
    /// The tree at `dir` (a `--from` folder, a submission's lessons).
    pub fn new(dir: impl Into<PathBuf>) -> Tree {
        Tree { dir: dir.into() }
    }

    /// The lessons of a copy of the kit whose root is `root`: its `exercises/`.
    pub fn exercises_of(root: &Path) -> Tree {
        Tree::new(root.join(EXERCISES))
    }

    /// The kit's lessons as a student names them, from the kit's root:
    /// `exercises/03-mpsc/rust/src/main.rs`.
    pub fn as_shown() -> Tree {
        Tree::new(EXERCISES)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// `03-mpsc/`
    pub fn lesson(&self, lesson: &Lesson) -> PathBuf {
        self.dir.join(&lesson.slug)
    }

    /// `03-mpsc/rust/`
    pub fn lang(&self, lesson: &Lesson, lang: Lang) -> PathBuf {
        self.lesson(lesson).join(lang.as_str())
    }

    /// The lesson's student files in one language: `03-mpsc/rust/src/main.rs`, ...
    pub fn files(&self, lesson: &Lesson, lang: Lang) -> Vec<PathBuf> {
        let dir = self.lang(lesson, lang);
        lesson.student_files(lang).iter().map(|f| dir.join(f)).collect()
    }

    /// `03-mpsc/README.md`
    pub fn readme(&self, lesson: &Lesson) -> PathBuf {
        self.lesson(lesson).join("README.md")
    }
}

/// The kit: its root folder, holding `exercises/`, `solutions/` and the build files.
#[derive(Clone, Debug)]
pub struct Kit {
    pub root: PathBuf,
}

impl Kit {
    /// `FEARLESS_ROOT`, else the nearest folder upwards holding `exercises/` and
    /// `rust/Cargo.toml`, else the folder this binary was built from.
    pub fn locate() -> Kit {
        if let Some(root) = std::env::var_os("FEARLESS_ROOT") {
            return Kit { root: PathBuf::from(root) };
        }
        if let Ok(cwd) = std::env::current_dir() {
            for dir in cwd.ancestors() {
                if dir.join(EXERCISES).is_dir() && dir.join("rust/Cargo.toml").is_file() {
                    return Kit { root: dir.to_path_buf() };
                }
            }
        }
        Kit { root: Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf() }
    }

    /// The lessons as the kit hands them out, student files at their starting points.
    pub fn exercises(&self) -> Tree {
        Tree::exercises_of(&self.root)
    }

    /// The reference solutions.
    pub fn solutions(&self) -> Tree {
        Tree::new(self.root.join(SOLUTIONS))
    }

    /// The cargo target folder shared by checks in this kit: `FEARLESS_TARGET`, else
    /// `target/lessons` in the kit.
    pub fn default_target(&self) -> PathBuf {
        std::env::var_os("FEARLESS_TARGET").map(PathBuf::from).unwrap_or_else(|| self.root.join("target").join("lessons"))
    }

    /// Every lesson in order. A lesson whose `exercise.toml` is broken comes back as an
    /// error in its place, so that one broken lesson never hides the others.
    pub fn lessons(&self) -> Result<Vec<Result<Lesson, LessonError>>, LessonError> {
        let dir = self.exercises().dir;
        let entries = std::fs::read_dir(&dir).map_err(|_| LessonError::MissingFolder(dir.clone()))?;
        let mut slugs: Vec<String> =
            entries.filter_map(|e| e.ok()).filter(|e| e.path().join("exercise.toml").is_file()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        slugs.sort();
        Ok(slugs.into_iter().map(|slug| self.load(&slug)).collect())
    }

    /// The lesson of a slug (`03-mpsc`), from its `exercise.toml`, whose `id` must be
    /// the slug without its number.
    pub fn load(&self, slug: &str) -> Result<Lesson, LessonError> {
        let dir = self.exercises().dir.join(slug);
        let path = dir.join("exercise.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| LessonError::Read { path: path.clone(), source })?;
        let exercise = parse_exercise(&path, &text)?;
        id_matches_folder(&path, &text, &exercise.id, slug)?;
        Ok(Lesson { slug: slug.to_string(), dir, exercise })
    }

    /// The lesson of an id (or slug, or number), or `UnknownId`.
    pub fn lesson(&self, id: &str) -> Result<Lesson, LessonError> {
        self.known(id).and_then(|s| self.load(&s))
    }

    /// The slug of a lesson as a student names it: its id (`mpsc`), its slug or folder
    /// name (`03-mpsc`), or its number (`3`, `03`).
    pub fn slug_of(&self, id: &str) -> Option<String> {
        self.slugs().into_iter().find(|slug| names(slug, id))
    }

    /// The slug of `id`, or `UnknownId` with the nearest id or slug, when one is near.
    fn known(&self, id: &str) -> Result<String, LessonError> {
        self.slug_of(id).ok_or_else(|| LessonError::UnknownId { id: id.to_string(), nearest: self.nearest(id) })
    }

    /// The lesson folders' names, in order.
    fn slugs(&self) -> Vec<String> {
        let entries = std::fs::read_dir(self.exercises().dir).into_iter().flatten().flatten();
        let mut slugs: Vec<String> = entries.filter(|e| e.path().is_dir()).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        slugs.sort();
        slugs
    }

    /// The id or slug nearest to a mistyped `id` by edit distance, if near enough to be
    /// a typo: at most two edits, or a third of its length.
    fn nearest(&self, id: &str) -> Option<String> {
        let id = id.to_lowercase();
        let most = (id.chars().count() / 3).max(2);
        let slugs = self.slugs();
        let candidates = slugs.iter().flat_map(|s| [bare(s), s.as_str()]);
        candidates.map(|n| (edit_distance(&id, n), n)).filter(|&(d, n)| d <= most && d < n.chars().count()).min().map(|(_, n)| n.to_string())
    }

    /// The lessons named on the command line (all when none), in the order named, or
    /// the first unknown id. A named lesson whose metadata is broken is an error in its place.
    pub fn select(&self, ids: &[String]) -> Result<Vec<Result<Lesson, LessonError>>, LessonError> {
        if ids.is_empty() {
            return self.lessons();
        }
        ids.iter().map(|id| self.known(id).map(|slug| self.load(&slug))).collect()
    }

    /// The lessons `only` names (all when empty), each once and in the kit's order; the
    /// first unknown id, else the first broken lesson, is the error.
    pub fn select_in_order(&self, only: &[String]) -> Result<Vec<Lesson>, LessonError> {
        if only.is_empty() {
            return self.lessons()?.into_iter().collect();
        }
        let mut slugs = only.iter().map(|id| self.known(id)).collect::<Result<Vec<_>, _>>()?;
        // Slugs start with the lesson's number: sorted, they are in the kit's order.
        slugs.sort();
        slugs.dedup();
        slugs.iter().map(|s| self.load(s)).collect()
    }

    /// The lesson of `id` and its languages, narrowed to `lang`.
    pub fn lesson_langs(&self, id: &str, lang: Option<Lang>) -> Result<(Lesson, Vec<Lang>), LessonError> {
        let lesson = self.lesson(id)?;
        let langs: Vec<Lang> = lesson.langs().filter(|l| lang.is_none_or(|a| a == *l)).collect();
        if langs.is_empty() {
            return Err(match lang {
                Some(lang) => LessonError::NoVersion { id: id.to_string(), lang },
                None => LessonError::NoStudentFiles(id.to_string()),
            });
        }
        Ok((lesson, langs))
    }
}

/// An `id` other than the folder's name less its number is an error naming both, at
/// the line of `id`: commands find a lesson by its folder and reports name it by its id.
fn id_matches_folder(path: &Path, text: &str, id: &str, slug: &str) -> Result<(), LessonError> {
    if id == bare(slug) {
        return Ok(());
    }
    let line = text.lines().position(|l| l.split('=').next().is_some_and(|k| k.trim() == "id")).map_or(1, |i| i + 1);
    let message = format!("id \"{id}\" does not match the lesson's folder {slug}: a lesson's id is its folder's name without the number, here \"{}\"", bare(slug));
    Err(LessonError::Malformed { path: path.to_path_buf(), line, message })
}

/// A lesson folder's name without its number: `03-mpsc` -> `mpsc`.
fn bare(slug: &str) -> &str {
    slug.split_once('-').map(|(_, s)| s).unwrap_or(slug)
}

/// Whether a student's `id` names the lesson folder `slug`: by id, slug or number.
fn names(slug: &str, id: &str) -> bool {
    let number = |s: &str| s.parse::<u32>().ok().filter(|_| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    let own = slug.split_once('-').and_then(|(n, _)| number(n));
    slug == id || bare(slug) == id || (own.is_some() && own == number(id))
}

/// The edit distance (optimal string alignment) between two strings: the fewest
/// insertions, deletions, substitutions and swaps of neighbours that turn one into
/// the other (`mpcs` -> `mpsc` is one swap).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    // d[i][j]: the distance between a[..i] and b[..j].
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    d[0] = (0..=b.len()).collect();
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lesson() -> Lesson {
        let path = Path::new("exercise.toml");
        let text = "id = \"mpsc\"\ntitle = \"t\"\nsummary = \"s\"\nhints = [\"a\", \"b\", \"c\"]\n[files]\nrust = [\"src/main.rs\", \"src/lib.rs\"]\n[checks.build]\npoints = 1\n";
        Lesson { slug: "03-mpsc".into(), dir: PathBuf::from("/kit/exercises/03-mpsc"), exercise: parse_exercise(path, text).unwrap() }
    }

    #[test]
    fn a_lesson_is_named_by_id_slug_or_number() {
        for id in ["mpsc", "03-mpsc", "3", "03", "003"] {
            assert!(names("03-mpsc", id), "{id}");
        }
        for id in ["4", "0", "", "mpsc-03", "03-", "-3", "+3"] {
            assert!(!names("03-mpsc", id), "{id}");
        }
    }

    #[test]
    fn an_id_that_is_not_the_folders_is_refused_naming_both() {
        let kit = tempfile::tempdir().unwrap();
        let dir = kit.path().join("exercises/03-mpsc");
        std::fs::create_dir_all(&dir).unwrap();
        let text = "# a lesson\nid = \"channels\"\ntitle = \"t\"\nsummary = \"s\"\nhints = [\"a\", \"b\", \"c\"]\n[files]\nrust = [\"src/main.rs\"]\n[checks.build]\npoints = 1\n";
        std::fs::write(dir.join("exercise.toml"), text).unwrap();
        let kit = Kit { root: kit.path().to_path_buf() };
        let err = kit.load("03-mpsc").unwrap_err().to_string();
        assert!(err.contains("exercise.toml:2: id \"channels\" does not match the lesson's folder 03-mpsc"), "{err}");
        assert!(err.ends_with("here \"mpsc\""), "{err}");
        std::fs::write(dir.join("exercise.toml"), text.replace("channels", "mpsc")).unwrap();
        assert_eq!(kit.load("03-mpsc").unwrap().id(), "mpsc");
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(edit_distance("mpcs", "mpsc"), 1);
        assert_eq!(edit_distance("shutdwn", "shutdown"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("mpsc", "mpsc"), 0);
    }

    #[test]
    fn trees_lay_lessons_out_alike() {
        let kit = Kit { root: PathBuf::from("/kit") };
        let l = lesson();
        assert_eq!(kit.exercises().lang(&l, Lang::Rust), Path::new("/kit/exercises/03-mpsc/rust"));
        assert_eq!(kit.solutions().files(&l, Lang::Rust), [Path::new("/kit/solutions/03-mpsc/rust/src/main.rs"), Path::new("/kit/solutions/03-mpsc/rust/src/lib.rs")]);
        assert_eq!(Tree::as_shown().files(&l, Lang::Rust)[0], Path::new("exercises/03-mpsc/rust/src/main.rs"));
        assert_eq!(Tree::new("/from").readme(&l), Path::new("/from/03-mpsc/README.md"));
        assert!(Tree::new("/from").files(&l, Lang::Ocaml).is_empty());
    }
}
