//! `grades.csv`: one row per submission, `submission,score,max_score`, then the
//! points of each lesson and language; numbers only, so a spreadsheet reads it as is.
use super::{submission_name, ClassReporter};
use crate::report::Class;

pub struct Csv;

impl ClassReporter for Csv {
    fn render(&self, class: &Class) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["submission".to_string(), "score".into(), "max_score".into()];
        header.extend(class.columns.iter().cloned());
        w.write_record(&header).expect("writing to memory");
        for r in &class.reports {
            let mut row = vec![submission_name(r).to_string(), r.summary.score.to_string(), r.summary.max_score.to_string()];
            for col in &class.columns {
                row.push(r.results.iter().find(|l| l.key() == *col).map(|l| l.score.to_string()).unwrap_or_default());
            }
            w.write_record(&row).expect("writing to memory");
        }
        String::from_utf8(w.into_inner().expect("writing to memory")).expect("the fields are UTF-8")
    }
}
