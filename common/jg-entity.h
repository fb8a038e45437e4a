/* jg-entity.h: the record types and their fields, defined once
 *
 * Every front end, the store and the server read the shape of a record from
 * here.  The SQL migrations in schemas/ create one column per field; a test
 * checks that the two agree.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  JG_FIELD_TEXT,
  JG_FIELD_INT,
  JG_FIELD_REAL,
  JG_FIELD_BOOL,
  JG_FIELD_DATE,       /* "YYYY-MM-DD" */
  JG_FIELD_DATETIME,   /* "YYYY-MM-DDTHH:MM[:SS]" local time, or with a zone */
  JG_FIELD_ENUM,       /* text from a fixed or configurable list */
  JG_FIELD_REF,        /* the id (UUID) of another record */
  JG_FIELD_UNIT,       /* an org unit's division code */
  JG_FIELD_STRLIST,    /* JSON array of strings */
  JG_FIELD_OBJECT,     /* JSON object */
} JgFieldType;

typedef enum
{
  JG_FIELD_FLAG_NONE      = 0,
  JG_FIELD_FLAG_REQUIRED  = 1 << 0,  /* must be present on creation */
  JG_FIELD_FLAG_IMMUTABLE = 1 << 1,  /* fixed once created (ledger content) */
  JG_FIELD_FLAG_COMPUTED  = 1 << 2,  /* derived by common/, never written by a user */
  JG_FIELD_FLAG_SYSTEM    = 1 << 3,  /* maintained by the store (created_*, deleted) */
  JG_FIELD_FLAG_SENSITIVE = 1 << 4,  /* personal data: masked or restricted */
  JG_FIELD_FLAG_REVIEW    = 1 << 5,  /* review workflow fields */
} JgFieldFlags;

typedef struct
{
  const char         *name;
  JgFieldType         type;
  JgFieldFlags        flags;
  const char * const *choices;     /* JG_FIELD_ENUM with a fixed list */
  const char         *choice_list; /* JG_FIELD_ENUM with a configurable list */
  const char         *ref_entity;  /* JG_FIELD_REF */
  gint64              max_length;  /* text: characters; 0 = default */
} JgFieldDef;

typedef struct
{
  const char       *name;
  const JgFieldDef *fields;     /* common fields first, then the entity's own */
  guint             n_fields;
  gboolean          ledger;     /* append-only content */
} JgEntityDef;

/* The fixed position of the common fields in every entity. */
enum
{
  JG_COMMON_ORG_UNIT,
  JG_COMMON_CREATED_BY,
  JG_COMMON_CREATED_AT,
  JG_COMMON_REVIEW_STATE,
  JG_COMMON_REVIEW_NOTE,
  JG_COMMON_DELETED,
  JG_N_COMMON_FIELDS
};

#define JG_TEXT_MAX_DEFAULT 200
#define JG_TEXT_MAX_LONG    20000

const JgEntityDef  *jg_entity_lookup         (const char        *name);
const JgEntityDef * const *jg_entity_all     (guint             *n_entities);
const JgFieldDef   *jg_entity_field          (const JgEntityDef *entity,
                                              const char        *field,
                                              int               *index_out);
int                 jg_entity_field_index    (const JgEntityDef *entity,
                                              const char        *field);

const char         *jg_field_type_name       (JgFieldType        type);
const char         *jg_entity_label          (const char        *entity);
const JgFieldDef   *jg_entity_title_field    (const JgEntityDef *entity);
const char         *jg_field_label           (const char        *field);
const char         *jg_choice_label          (const JgFieldDef  *field,
                                              const char        *code);
const char         *jg_entity_choice_label   (const char        *entity,
                                              const char        *field,
                                              const char        *code);
gboolean            jg_ui_is_chinese         (void);
gboolean            jg_field_check_type      (const JgFieldDef  *field,
                                              JsonNode          *value,
                                              GError           **error);
gboolean            jg_field_choice_allowed  (const JgFieldDef  *field,
                                              const char        *value);
const char * const *jg_field_choices         (const JgFieldDef  *field);
JsonNode           *jg_field_value_from_text (const JgFieldDef  *field,
                                              const char        *text,
                                              GError           **error);

extern const char * const jg_review_states[];

G_END_DECLS
