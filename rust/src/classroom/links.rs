//! The course's Markdown links: a lesson README's links to lessons not handed out are
//! rewritten, so that no relative link in the course leads nowhere.
use std::path::Path;
use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::exit::BadInput;
use crate::layout::Tree;
use crate::lesson::Lesson;

/// An inline Markdown link: `[text](target)`.
static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]\n]*)\]\(([^()\s]+)\)").expect("a valid pattern"));

/// How a lesson is named in links: `03 · MPSC channels: many producers, one consumer`.
pub fn name(lesson: &Lesson) -> String {
    let number = lesson.slug.split('-').next().unwrap_or(&lesson.slug);
    format!("{number} · {}", lesson.exercise.title)
}

/// Fixes the links of every Markdown file of the course at `root`.
pub fn fix_all(root: &Path, lessons: &[Lesson]) -> Result<(), BadInput> {
    let mut files = Vec::new();
    super::walk(root, &mut |p| {
        if p.extension().is_some_and(|e| e == "md") {
            files.push(p.to_path_buf());
        }
        Ok(())
    })?;
    let course = Tree::exercises_of(root);
    for path in files {
        let text = std::fs::read_to_string(&path)?;
        let lesson = lessons.iter().position(|l| path == course.readme(l));
        let next = lesson.map(|i| lessons.get(i + 1));
        let fixed = fix(&text, path.parent().expect("a file in the course"), next);
        if fixed != text {
            std::fs::write(&path, fixed)?;
        }
    }
    Ok(())
}

/// `text` (a file in `dir`) with its broken relative links undone: a lesson README's
/// "Next:" line (`next` is Some for a lesson README) names the next lesson handed out, or
/// says this one is the last; any other broken link is left as its text.
pub fn fix(text: &str, dir: &Path, next: Option<Option<&Lesson>>) -> String {
    let broken = |target: &str| {
        let relative = !target.contains("://") && !target.starts_with(['#', '/']) && !target.starts_with("mailto:");
        let file = target.split('#').next().unwrap_or(target);
        relative && !dir.join(file).exists()
    };
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            if !LINK.captures_iter(line).any(|c| broken(&c[2])) {
                return line.to_string();
            }
            match next {
                Some(Some(lesson)) if line.starts_with("Next:") => format!("Next: [{}](../{}/README.md)", name(lesson), lesson.slug),
                Some(None) if line.starts_with("Next:") => "This is the last lesson of this course.".to_string(),
                _ => LINK.replace_all(line, |c: &Captures| if broken(&c[2]) { c[1].to_string() } else { c[0].to_string() }).into_owned(),
            }
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_lesson_handed_out_says_so_where_its_next_link_was() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# 03\n\nAs in [01](../01-threads/README.md).\n\nNext: [04 · Shutdown](../04-shutdown/README.md)\n";
        assert_eq!(fix(text, dir.path(), Some(None)), "# 03\n\nAs in 01.\n\nThis is the last lesson of this course.\n");
    }
}
