-- Credit store: subjects, versioned credit records, the category catalogue, identifier
-- mappings, and what every import did (runs, rejects, data quality).

-- The extensible catalogue of record categories. A new category is a row here (by migration),
-- with the import layout its files use and the class its records get by default.
create table record_category (
    code             text primary key,
    name_zh          text    not null,
    name_en          text    not null,
    classification   char(1) not null check (classification in ('A', 'B', 'C')),
    double_publicity boolean not null default false,
    layout           text    not null check (layout in ('licensing', 'penalty', 'generic'))
);

insert into record_category (code, name_zh, name_en, classification, double_publicity, layout) values
    ('licensing',       '行政许可',       'administrative licence',     'A', true,  'licensing'),
    ('penalty',         '行政处罚',       'administrative penalty',     'A', true,  'penalty'),
    ('redlist',         '红名单',         'red list',                   'A', false, 'generic'),
    ('blacklist',       '黑名单',         'black list',                 'A', false, 'generic'),
    ('commitment',      '信用承诺',       'credit commitment',          'A', false, 'generic'),
    ('judgment-debtor', '失信被执行人',   'dishonest judgment debtor',  'A', false, 'generic'),
    ('tax',             '纳税信用',       'tax credit rating',          'B', false, 'generic'),
    ('social-insurance','社保缴纳',       'social insurance payment',   'C', false, 'generic');

-- A subject is a legal person (by USCC) or a natural person (by the keyed hash of the
-- resident ID number; the number itself is only ever stored sealed).
create table subject (
    id               bigint generated always as identity primary key,
    subject_key      text    not null unique,  -- 'U:' || uscc, or 'P:' || hex(hmac(resident id))
    kind             text    not null check (kind in ('LEGAL_PERSON', 'NATURAL_PERSON')),
    uscc             text unique,
    person_id_sealed bytea,
    person_id_masked text,
    name             text    not null,
    created_at       timestamptz not null default now(),
    check ((kind = 'LEGAL_PERSON' and uscc is not null and person_id_sealed is null)
        or (kind = 'NATURAL_PERSON' and uscc is null and person_id_sealed is not null))
);
create index subject_name_prefix on subject (name text_pattern_ops);

create table import_run (
    id            bigint generated always as identity primary key,
    file_name     text        not null,
    file_digest   bytea       not null,
    category      text        not null references record_category (code),
    department    text,
    started_at    timestamptz not null default now(),
    finished_at   timestamptz,
    rows_read     integer     not null default 0,
    stored        integer     not null default 0,
    duplicates    integer     not null default 0,
    rejected      integer     not null default 0
);

-- A credit record version. A correction is a new version; nothing is overwritten.
-- Natural key: category + source department + document number + version (a black-list entry
-- may cite the penalty decision's document number; it is a record of its own, not a version).
create table credit_record (
    id                bigint generated always as identity primary key,
    subject_id        bigint  not null references subject (id),
    -- a catalogue code; not a foreign key: the importer takes codes from the catalogue only,
    -- and a per-row key check costs a tenth of the ingest time
    category          text    not null,
    classification    char(1) not null check (classification in ('A', 'B', 'C')),
    source_department text    not null,
    document_number   text    not null,
    version           integer not null check (version >= 1),
    content_digest    bytea   not null,
    party_name        text    not null,
    decision_date     date    not null,
    valid_from        date,
    valid_until       date,
    publication_end   date,
    status            text    not null default 'ACTIVE'
                      check (status in ('ACTIVE', 'REPAIRED', 'WITHDRAWN', 'UNDER_OBJECTION')),
    authority         text,
    authority_code    text,
    content           text,
    representative_id_sealed bytea,          -- the legal representative's resident ID, sealed
    attributes        jsonb   not null default '{}'::jsonb,
    legacy_identifier boolean not null default false,
    import_id         bigint,  -- provenance; no foreign key: checked per row it costs a tenth of the ingest time
    ingested_at       timestamptz not null default now(),
    unique (category, source_department, document_number, version)
);
create index credit_record_subject on credit_record (subject_id);

create table import_reject (
    file_digest bytea   not null,
    row_number  integer not null,
    field       text    not null,
    code        text    not null,
    reason      text    not null,
    import_id   bigint references import_run (id),
    primary key (file_digest, row_number, field)
);

-- Data quality (信用信息质量监控) per source department and file; re-importing a file
-- replaces its figures instead of counting them twice.
create table import_quality (
    file_digest          bytea   not null,
    department           text    not null,
    rows_read            integer not null,
    rows_valid           integer not null,
    fields_expected      bigint  not null,
    fields_filled        bigint  not null,
    double_publicity     integer not null,
    late                 integer not null,
    measured_at          timestamptz not null default now(),
    primary key (file_digest, department)
);

-- Old registration numbers (工商注册号) and organisation codes map to USCCs
-- (统一代码与旧注册登记码映射). A legacy code that fails its own check is accepted only when
-- listed here, and records relying on it are flagged. A USCC issued with a wrong check
-- character (they exist) is listed with kind USCC, mapped to the code the registry uses.
create table identifier_mapping (
    legacy_code         text primary key,
    kind                text    not null check (kind in ('USCC', 'REGISTRATION_NUMBER', 'ORGANIZATION_CODE')),
    uscc                text    not null,
    legacy_check_failed boolean not null default false,
    source              text,
    created_at          timestamptz not null default now()
);
create index identifier_mapping_uscc on identifier_mapping (uscc);
