//! The survey template (xlsx), built from the questionnaire: instructions; a sheet per record
//! type with one column per field (labels as headers, the record id in a hidden first column),
//! dropdowns for every enumeration (from a hidden lists sheet), date and money formats; the
//! one-per-return questionnaires as question / answer sheets; and a data dictionary.
//! Optionally filled with a return's records, so that it can be edited and imported back.
//! User text is always written as a string cell, never as a formula.

use crate::domain::enums::{RecordKind, all_enumerations};
use crate::domain::questionnaire::FieldType;
use crate::domain::records::RecordData;
use crate::sheet_layout::columns::{self, Column, Target};
use crate::sheet_layout::{
    FORM_ANSWER_HEADER, FORM_KEY_HEADER, FORM_QUESTION_HEADER, column_letter,
};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use uuid::Uuid;

/// Rows below the header that carry dropdowns and formats.
const VALIDATED_ROWS: u32 = 2_000;

/// The sheet name of each record type.
pub(crate) fn sheet_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::System => "Systems",
        RecordKind::Contract => "Contracts",
        RecordKind::Supplier => "Suppliers",
        RecordKind::Product => "Products",
        RecordKind::Skill => "Skills",
        RecordKind::Gdpr => "GDPR readiness",
        RecordKind::Cyber => "Cyber readiness",
    }
}

/// The template's sheets that hold no records.
pub(crate) const OWN_SHEETS: [&str; 3] = ["Instructions", "Data dictionary", "Lists"];

const TABLE_KINDS: [RecordKind; 5] = [
    RecordKind::Supplier,
    RecordKind::Product,
    RecordKind::System,
    RecordKind::Contract,
    RecordKind::Skill,
];

struct Formats {
    header: Format,
    date: Format,
    money: Format,
    wrap: Format,
    title: Format,
}

/// Where each enumeration's options sit on the lists sheet.
struct Lists {
    ranges: HashMap<&'static str, String>,
}

fn type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "Text",
        FieldType::LongText => "Long text",
        FieldType::Integer => "Whole number",
        FieldType::Money => "Money in pounds (e.g. 1250000.00)",
        FieldType::Date => "Date (dd/mm/yyyy)",
        FieldType::Boolean => "Yes or No",
        FieldType::Choice(_) => "One of the options",
        FieldType::Reference(_) => "Name of another record",
        FieldType::References(_) => "Names of other records, separated by ;",
        FieldType::TextList => "Texts separated by ;",
        FieldType::Ratings { .. } => "One of the options",
    }
}

fn column_type(c: &Column) -> Option<FieldType> {
    match c.target {
        Target::Field(f) => Some(f.field_type),
        Target::Rating { rating, .. } => Some(FieldType::Choice(rating)),
        _ => None,
    }
}

/// Writes the template; `records` (possibly empty) are filled in.
pub(crate) fn write(
    path: &Path,
    cycle: &str,
    records: &[(Uuid, RecordData)],
) -> Result<(), XlsxError> {
    let mut wb = Workbook::new();
    let f = Formats {
        header: Format::new()
            .set_bold()
            .set_text_wrap()
            .set_background_color("#DDEBF7")
            .set_border_bottom(FormatBorder::Thin),
        date: Format::new().set_num_format("dd/mm/yyyy"),
        money: Format::new().set_num_format("£#,##0.00"),
        wrap: Format::new().set_text_wrap(),
        title: Format::new().set_bold().set_font_size(14),
    };
    let names: HashMap<Uuid, String> = records.iter().map(|(id, d)| (*id, d.label())).collect();

    instructions(wb.add_worksheet(), cycle, &f)?;
    // The lists sheet is written last but referred to by name.
    let lists = lists_layout();
    for kind in TABLE_KINDS {
        let ws = wb.add_worksheet();
        table_sheet(ws, kind, records, &names, &lists, &f)?;
    }
    for kind in [RecordKind::Gdpr, RecordKind::Cyber] {
        let ws = wb.add_worksheet();
        let record = records.iter().find(|(_, d)| d.kind() == kind);
        form_sheet(ws, kind, record, &names, &lists, &f)?;
    }
    dictionary(wb.add_worksheet(), &f)?;
    let ws = wb.add_worksheet();
    write_lists(ws, &f)?;
    ws.set_hidden(true);
    wb.save(path)
}

fn instructions(ws: &mut Worksheet, cycle: &str, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Instructions")?;
    ws.set_column_width(0, 110)?;
    ws.write_string_with_format(
        0,
        0,
        format!("City Tools survey template, cycle {cycle}"),
        &f.title,
    )?;
    let lines = [
        "Fill in one sheet per record type: Suppliers, Products, Systems, Contracts and Skills have one record per row; GDPR readiness and Cyber readiness are answered once for the organisation, one answer per row.",
        "Headers are the questions. Leave the header row as it is; add as many rows as you need.",
        "Choose answers from the dropdowns. Yes/No questions take Yes or No.",
        "Type money in pounds, for example 1250000 or 1250000.50; it is stored exactly to the penny.",
        "Type dates as dd/mm/yyyy, for example 31/03/2027. For a rolling contract leave the end date empty and answer Yes to 'Rolling contract'.",
        "Suppliers, products and systems are named, not numbered: type the name exactly as on the Suppliers, Products or Systems sheet. A supplier named on a contract that is not on the Suppliers sheet is added.",
        "Several systems on one contract are separated by a semicolon (;).",
        "The first column of each sheet is hidden and holds City Tools' id for each record. Do not change it: it makes a re-import update the same record instead of adding a copy. New rows leave it empty.",
        "Blank cells leave what is stored unchanged. Write 'TBC' where a value is not known yet: it is imported as not known and you are told.",
        "Import the filled-in file in the app (Import a spreadsheet) or with: city spreadsheet import FILE. You see what would be added, changed or skipped before anything is saved.",
        "The Data dictionary sheet lists every field with its type, options and whether it is required.",
    ];
    for (i, l) in lines.iter().enumerate() {
        ws.write_string_with_format(i as u32 + 2, 0, *l, &f.wrap)?;
    }
    ws.set_active(true);
    Ok(())
}

fn lists_layout() -> Lists {
    let mut ranges = HashMap::new();
    for (i, (name, options)) in all_enumerations().into_iter().enumerate() {
        let col = column_letter(i);
        ranges.insert(
            name,
            format!("=Lists!${col}$2:${col}${}", options.len() + 1),
        );
    }
    Lists { ranges }
}

fn write_lists(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Lists")?;
    for (i, (name, options)) in all_enumerations().into_iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, name, &f.header)?;
        for (r, (_, label)) in options.iter().enumerate() {
            ws.write_string(r as u32 + 1, col, *label)?;
        }
    }
    Ok(())
}

fn validation(c: &Column, lists: &Lists) -> Result<Option<DataValidation>, XlsxError> {
    let Some(t) = column_type(c) else {
        return Ok(None);
    };
    let dv = match t {
        FieldType::Choice(e) => match lists.ranges.get(e) {
            Some(range) => DataValidation::new()
                .allow_list_formula(Formula::new(range.as_str()))
                .set_error_title("Choose from the list")?
                .set_error_message("Choose one of the options in the dropdown.")?,
            None => return Ok(None),
        },
        FieldType::Boolean => DataValidation::new()
            .allow_list_strings(&["Yes", "No"])?
            .set_error_message("Answer Yes or No.")?,
        FieldType::Date => DataValidation::new()
            .allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1900, 1, 1)?,
                ExcelDateTime::from_ymd(2200, 12, 31)?,
            ))
            .set_error_message("Type a date such as 31/03/2027.")?
            .set_error_style(DataValidationErrorStyle::Warning),
        FieldType::Money => DataValidation::new()
            .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
            .set_error_message("Type an amount in pounds, such as 1250000.")?
            .set_error_style(DataValidationErrorStyle::Warning),
        FieldType::Integer => DataValidation::new()
            .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
            .set_error_message("Type a whole number.")?
            .set_error_style(DataValidationErrorStyle::Warning),
        FieldType::Reference(k) if k != RecordKind::System => {
            let sheet = sheet_name(k);
            DataValidation::new()
                .allow_list_formula(Formula::new(format!(
                    "='{sheet}'!$B$2:$B${}",
                    VALIDATED_ROWS + 1
                )))
                .set_error_message("Not on the list: it will be added when you import.")?
                .set_error_style(DataValidationErrorStyle::Information)
        }
        _ => return Ok(None),
    };
    Ok(Some(dv.set_input_title(trim_title(&c.label))?))
}

/// Input titles are limited to 32 characters.
fn trim_title(s: &str) -> String {
    if s.chars().count() <= 32 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(31).collect();
        t.push('…');
        t
    }
}

fn table_sheet(
    ws: &mut Worksheet,
    kind: RecordKind,
    records: &[(Uuid, RecordData)],
    names: &HashMap<Uuid, String>,
    lists: &Lists,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(kind))?;
    let cols = columns::columns(kind);
    for (i, c) in cols.iter().enumerate() {
        let col = i as u16;
        ws.write_string_with_format(0, col, &c.label, &f.header)?;
        let width = if matches!(column_type(c), Some(FieldType::LongText)) {
            40.0
        } else {
            (c.label.chars().count() as f64 * 0.9).clamp(12.0, 30.0)
        };
        ws.set_column_width(col, width)?;
        match column_type(c) {
            Some(FieldType::Date) => {
                ws.set_column_format(col, &f.date)?;
            }
            Some(FieldType::Money) => {
                ws.set_column_format(col, &f.money)?;
            }
            _ => {}
        }
        if let Some(dv) = validation(c, lists)? {
            ws.add_data_validation(1, col, VALIDATED_ROWS, col, &dv)?;
        }
    }
    ws.set_column_hidden(0)?;
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 2)?;
    let mine = records.iter().filter(|(_, d)| d.kind() == kind);
    for (r, (id, data)) in (1u32..).zip(mine) {
        let json = data.to_json();
        ws.write_string(r, 0, id.to_string())?;
        for (i, c) in cols.iter().enumerate().skip(1) {
            write_value(ws, r, i as u16, c, &json, names, f)?;
        }
    }
    Ok(())
}

fn form_sheet(
    ws: &mut Worksheet,
    kind: RecordKind,
    record: Option<&(Uuid, RecordData)>,
    names: &HashMap<Uuid, String>,
    lists: &Lists,
    f: &Formats,
) -> Result<(), XlsxError> {
    ws.set_name(sheet_name(kind))?;
    for (i, h) in [
        FORM_KEY_HEADER,
        FORM_QUESTION_HEADER,
        FORM_ANSWER_HEADER,
        "Hint",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(0, i as u16, *h, &f.header)?;
    }
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 40)?;
    ws.set_column_width(3, 50)?;
    ws.set_column_hidden(0)?;
    ws.set_freeze_panes(1, 0)?;
    let json = record.map(|(_, d)| d.to_json()).unwrap_or(Value::Null);
    for (i, c) in columns::columns(kind).iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &c.path)?;
        ws.write_string_with_format(r, 1, &c.label, &f.wrap)?;
        ws.write_string_with_format(r, 3, &c.hint, &f.wrap)?;
        if c.path == columns::ID_PATH {
            if let Some((id, _)) = record {
                ws.write_string(r, 2, id.to_string())?;
            }
            continue;
        }
        match column_type(c) {
            Some(FieldType::Date) => {
                ws.write_blank(r, 2, &f.date)?;
            }
            Some(FieldType::Money) => {
                ws.write_blank(r, 2, &f.money)?;
            }
            _ => {}
        }
        if let Some(dv) = validation(c, lists)? {
            ws.add_data_validation(r, 2, r, 2, &dv)?;
        }
        if !json.is_null() {
            write_value(ws, r, 2, c, &json, names, f)?;
        }
    }
    Ok(())
}

/// The value at a column path of a record's JSON.
fn value_at<'a>(json: &'a Value, path: &str) -> Option<&'a Value> {
    match path.split_once('.') {
        Some((outer, inner)) => json.get(outer)?.get(inner),
        None => json.get(path),
    }
}

fn option_label(enumeration: &str, id: &str) -> String {
    columns::options(enumeration)
        .into_iter()
        .find(|(i, _)| *i == id)
        .map(|(_, l)| l.to_string())
        .unwrap_or_else(|| id.to_string())
}

fn write_value(
    ws: &mut Worksheet,
    r: u32,
    col: u16,
    c: &Column,
    json: &Value,
    names: &HashMap<Uuid, String>,
    f: &Formats,
) -> Result<(), XlsxError> {
    let Some(t) = column_type(c) else {
        return Ok(());
    };
    let Some(v) = value_at(json, &c.path).filter(|v| !v.is_null()) else {
        return Ok(());
    };
    let name_of = |v: &Value| {
        v.as_str()
            .and_then(|s| Uuid::parse_str(s).ok())
            .and_then(|id| names.get(&id).cloned())
            .unwrap_or_else(|| v.as_str().unwrap_or_default().to_string())
    };
    match t {
        FieldType::Text | FieldType::LongText => {
            if let Some(s) = v.as_str() {
                ws.write_string(r, col, s)?;
            }
        }
        FieldType::Integer => {
            if let Some(n) = v.as_f64() {
                ws.write_number(r, col, n)?;
            }
        }
        FieldType::Money => {
            if let Some(p) = v.as_i64() {
                ws.write_number_with_format(r, col, p as f64 / 100.0, &f.money)?;
            }
        }
        FieldType::Date => {
            if let Some(s) = v.as_str() {
                let d = ExcelDateTime::parse_from_str(s)?;
                ws.write_datetime_with_format(r, col, &d, &f.date)?;
            }
        }
        FieldType::Boolean => {
            if let Some(b) = v.as_bool() {
                ws.write_string(r, col, if b { "Yes" } else { "No" })?;
            }
        }
        FieldType::Choice(e) => {
            if let Some(s) = v.as_str() {
                ws.write_string(r, col, option_label(e, s))?;
            }
        }
        FieldType::Reference(_) => {
            ws.write_string(r, col, name_of(v))?;
        }
        FieldType::References(_) | FieldType::TextList => {
            if let Some(items) = v.as_array()
                && !items.is_empty()
            {
                let texts: Vec<String> = items
                    .iter()
                    .map(|i| {
                        if matches!(t, FieldType::References(_)) {
                            name_of(i)
                        } else {
                            i.as_str().unwrap_or_default().to_string()
                        }
                    })
                    .collect();
                ws.write_string(r, col, texts.join("; "))?;
            }
        }
        FieldType::Ratings { .. } => {}
    }
    Ok(())
}

fn dictionary(ws: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Data dictionary")?;
    let headers = [
        "Sheet",
        "Column header",
        "Field",
        "Type",
        "Required",
        "Sensitive",
        "Options",
        "Hint",
    ];
    for (i, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, &f.header)?;
    }
    for (i, w) in [18.0, 40.0, 28.0, 28.0, 10.0, 10.0, 60.0, 50.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(i as u16, *w)?;
    }
    ws.set_freeze_panes(1, 0)?;
    let mut r = 1u32;
    for kind in TABLE_KINDS
        .iter()
        .chain([RecordKind::Gdpr, RecordKind::Cyber].iter())
    {
        for c in columns::columns(*kind) {
            let (ty, options) = match column_type(&c) {
                Some(t) => {
                    let options = match t {
                        FieldType::Choice(e) => columns::options(e)
                            .into_iter()
                            .map(|(_, l)| l)
                            .collect::<Vec<_>>()
                            .join("; "),
                        _ => String::new(),
                    };
                    (type_name(t), options)
                }
                None => ("City Tools id (hidden)", String::new()),
            };
            let sensitive = crate::domain::questionnaire::field_is_sensitive(*kind, &c.path);
            ws.write_string(r, 0, sheet_name(*kind))?;
            ws.write_string(r, 1, &c.label)?;
            ws.write_string(r, 2, &c.path)?;
            ws.write_string(r, 3, ty)?;
            ws.write_string(r, 4, if c.required() { "Yes" } else { "No" })?;
            ws.write_string(r, 5, if sensitive { "Yes" } else { "No" })?;
            ws.write_string_with_format(r, 6, &options, &f.wrap)?;
            ws.write_string_with_format(r, 7, &c.hint, &f.wrap)?;
            r += 1;
        }
    }
    Ok(())
}
