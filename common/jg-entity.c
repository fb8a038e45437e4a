/* jg-entity.c: the record types and their fields (DOMAIN.md) */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jg-config.h"
#include "jg-entity.h"
#include "jg-error.h"
#include "jg-id.h"

const char * const jg_review_states[] = { "draft", "submitted", "approved", "returned", NULL };
static const char * const genders[] = { "female", "male", NULL };
static const char * const redemption_items[] = { "service", "goods", "privilege", NULL };
static const char * const redemption_statuses[] = { "pending", "accepted", "rejected", NULL };
/* A service entry is only ever refused, and only a reversal, by the server:
 * recorded on the laptop it was refused to (jg_ledger_record_refusal()). */
static const char * const refused_statuses[] = { "rejected", NULL };
static const char * const inspection_stages[] = { "self", "village", "township", "county", "third_party", "reinspection", NULL };
static const char * const designation_levels[] = { "village", "township", "county", "city", "province", NULL };
static const char * const award_levels[] = { "village", "township", "county", "city", "province", "national", NULL };
static const char * const award_states[] = { "nominated", "under_review", "public_notice", "awarded", "declined", NULL };

#define F(n, t, fl) { .name = n, .type = JG_FIELD_##t, .flags = (fl) }
#define ENUM(n, list, fl) { .name = n, .type = JG_FIELD_ENUM, .flags = (fl), .choices = list }
#define CENUM(n, list, fl) { .name = n, .type = JG_FIELD_ENUM, .flags = (fl), .choice_list = list }
#define REF(n, e, fl) { .name = n, .type = JG_FIELD_REF, .flags = (fl), .ref_entity = e }
#define LONGTEXT(n, fl) { .name = n, .type = JG_FIELD_TEXT, .flags = (fl), .max_length = JG_TEXT_MAX_LONG }

#define NONE JG_FIELD_FLAG_NONE
#define REQ JG_FIELD_FLAG_REQUIRED
#define IMM JG_FIELD_FLAG_IMMUTABLE
#define COMP JG_FIELD_FLAG_COMPUTED
#define SYS JG_FIELD_FLAG_SYSTEM
#define SENS JG_FIELD_FLAG_SENSITIVE
#define REV JG_FIELD_FLAG_REVIEW

#define COMMON_FIELDS \
  F ("org_unit", UNIT, REQ), \
  F ("created_by", TEXT, SYS), \
  F ("created_at", DATETIME, SYS), \
  ENUM ("review_state", jg_review_states, REV), \
  LONGTEXT ("review_note", REV), \
  F ("deleted", BOOL, SYS)

static const JgFieldDef household_fields[] = {
  COMMON_FIELDS,
  F ("head_name", TEXT, REQ),
  F ("address", TEXT, NONE),
  F ("member_count", INT, NONE),
  F ("phone", TEXT, SENS),
  F ("tags", STRLIST, SENS),
  F ("publicity_consent", BOOL, NONE),
  F ("consent_at", DATETIME, NONE),
};

static const JgFieldDef activity_fields[] = {
  COMMON_FIELDS,
  F ("title", TEXT, REQ),
  CENUM ("category", "activity_categories", REQ),
  F ("start_at", DATETIME, REQ),
  F ("end_at", DATETIME, NONE),
  F ("location", TEXT, NONE),
  F ("organizer", TEXT, NONE),
  F ("partners", TEXT, NONE),
  F ("participants", INT, NONE),
  F ("participants_women", INT, NONE),
  F ("participants_children", INT, NONE),
  F ("beneficiaries", INT, NONE),
  F ("funds_yuan", REAL, NONE),
  LONGTEXT ("summary", NONE),
};

static const JgFieldDef volunteer_fields[] = {
  COMMON_FIELDS,
  F ("name", TEXT, REQ),
  ENUM ("gender", genders, NONE),
  F ("birth_year", INT, NONE),
  F ("phone", TEXT, SENS),
  F ("id_last4", TEXT, SENS),
  F ("team", TEXT, NONE),
  F ("skills", TEXT, NONE),
  F ("joined_at", DATE, NONE),
  F ("active", BOOL, NONE),
};

static const JgFieldDef service_entry_fields[] = {
  COMMON_FIELDS,
  REF ("volunteer", "volunteer", REQ | IMM),
  F ("minutes", INT, REQ | IMM),
  CENUM ("service_type", "service_types", REQ | IMM),
  REF ("activity", "activity", IMM),
  F ("served_at", DATETIME, REQ | IMM),
  F ("recorded_by", TEXT, IMM),
  REF ("reverses", "service_entry", IMM),
  F ("reason", TEXT, IMM),
  ENUM ("status", refused_statuses, SYS),
  F ("status_reason", TEXT, SYS),
};

static const JgFieldDef redemption_fields[] = {
  COMMON_FIELDS,
  REF ("volunteer", "volunteer", REQ | IMM),
  F ("minutes", INT, REQ | IMM),
  ENUM ("item", redemption_items, REQ | IMM),
  F ("item_name", TEXT, REQ | IMM),
  F ("beneficiary", TEXT, IMM),
  ENUM ("status", redemption_statuses, NONE),
  F ("status_reason", TEXT, NONE),
  REF ("reverses", "redemption", IMM),
  F ("reason", TEXT, IMM),
};

static const JgFieldDef inspection_fields[] = {
  COMMON_FIELDS,
  REF ("household", "household", REQ),
  F ("inspected_at", DATE, REQ),
  F ("inspectors", STRLIST, NONE),
  ENUM ("stage", inspection_stages, REQ),
  F ("rubric", TEXT, NONE),
  F ("rubric_version", INT, NONE),
  F ("item_scores", OBJECT, NONE),
  F ("veto_hits", STRLIST, NONE),
  LONGTEXT ("notes", NONE),
  F ("total", REAL, COMP),
  F ("section_totals", OBJECT, COMP),
  F ("star", INT, COMP),
  F ("passed", BOOL, COMP),
  F ("rectify_by", DATE, NONE),
};

static const JgFieldDef designation_fields[] = {
  COMMON_FIELDS,
  REF ("household", "household", REQ | IMM),
  ENUM ("level", designation_levels, REQ | IMM),
  REF ("inspection", "inspection", NONE),
  F ("valid_from", DATE, REQ),
  F ("valid_to", DATE, NONE),
  F ("plaque_no", TEXT, NONE),
  F ("revoked", BOOL, NONE),
  F ("revoked_at", DATE, NONE),
  F ("revoked_reason", TEXT, NONE),
};

static const JgFieldDef award_fields[] = {
  COMMON_FIELDS,
  REF ("household", "household", NONE),
  F ("family_name", TEXT, NONE),
  CENUM ("award_type", "award_types", REQ),
  ENUM ("level", award_levels, REQ),
  F ("year", INT, REQ),
  F ("batch", TEXT, NONE),
  LONGTEXT ("deeds", NONE),
  F ("nominated_by", TEXT, NONE),
  ENUM ("state", award_states, NONE),
  F ("notice_start", DATE, NONE),
  F ("notice_end", DATE, NONE),
  LONGTEXT ("objections", NONE),
  F ("certificate_no", TEXT, NONE),
  F ("decline_reason", TEXT, NONE),
};

#define ENTITY(n, fields, is_ledger) \
  static const JgEntityDef n##_entity = { #n, fields, G_N_ELEMENTS (fields), is_ledger }

ENTITY (household, household_fields, FALSE);
ENTITY (activity, activity_fields, FALSE);
ENTITY (volunteer, volunteer_fields, FALSE);
ENTITY (service_entry, service_entry_fields, TRUE);
ENTITY (redemption, redemption_fields, TRUE);
ENTITY (inspection, inspection_fields, FALSE);
ENTITY (designation, designation_fields, FALSE);
ENTITY (award, award_fields, FALSE);

static const JgEntityDef * const all_entities[] = {
  &household_entity,
  &activity_entity,
  &volunteer_entity,
  &service_entry_entity,
  &redemption_entity,
  &inspection_entity,
  &designation_entity,
  &award_entity,
};

const JgEntityDef * const *
jg_entity_all (guint *n_entities)
{
  *n_entities = G_N_ELEMENTS (all_entities);
  return all_entities;
}

const JgEntityDef *
jg_entity_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (all_entities); i++)
    if (strcmp (all_entities[i]->name, name) == 0)
      return all_entities[i];
  return NULL;
}

int
jg_entity_field_index (const JgEntityDef *entity,
                       const char        *field)
{
  if (field == NULL)
    return -1;
  for (guint i = 0; i < entity->n_fields; i++)
    if (strcmp (entity->fields[i].name, field) == 0)
      return (int) i;
  return -1;
}

const JgFieldDef *
jg_entity_field (const JgEntityDef *entity,
                 const char        *field,
                 int               *index_out)
{
  int i = jg_entity_field_index (entity, field);

  if (index_out)
    *index_out = i;
  return i < 0 ? NULL : &entity->fields[i];
}

/* What a person calls each field; error messages name fields by these. */
static const struct
{
  const char *name;
  const char *label;
} field_labels[] = {
  { "active", N_("Active") },
  { "activity", N_("Activity") },
  { "address", N_("Address") },
  { "award_type", N_("Award type") },
  { "batch", N_("Batch") },
  { "beneficiaries", N_("Beneficiaries (person-times)") },
  { "beneficiary", N_("Beneficiary") },
  { "birth_year", N_("Year of birth") },
  { "category", N_("Category") },
  { "certificate_no", N_("Certificate number") },
  { "consent_at", N_("Consent given on") },
  { "created_at", N_("Created on") },
  { "created_by", N_("Created by") },
  { "decline_reason", N_("Reason for declining") },
  { "deeds", N_("Deeds") },
  { "deleted", N_("Deleted") },
  { "end_at", N_("End") },
  { "family_name", N_("Family name") },
  { "funds_yuan", N_("Funds (yuan)") },
  { "gender", N_("Gender") },
  { "head_name", N_("Head of household") },
  { "household", N_("Household") },
  { "id_last4", N_("Last four ID digits") },
  { "inspected_at", N_("Inspection date") },
  { "inspection", N_("Inspection") },
  { "inspectors", N_("Inspectors") },
  { "item", N_("Item") },
  { "item_name", N_("Item name") },
  { "item_scores", N_("Item scores") },
  { "joined_at", N_("Joined on") },
  { "level", N_("Level") },
  { "location", N_("Place") },
  { "member_count", N_("Members") },
  { "minutes", N_("Minutes") },
  { "name", N_("Name") },
  { "nominated_by", N_("Nominated by") },
  { "notes", N_("Notes") },
  { "notice_end", N_("End of public notice") },
  { "notice_start", N_("Start of public notice") },
  { "objections", N_("Objections") },
  { "org_unit", N_("Village or unit") },
  { "organizer", N_("Organizer") },
  { "participants", N_("Participants") },
  { "participants_children", N_("Children taking part") },
  { "participants_women", N_("Women taking part") },
  { "partners", N_("Partners") },
  { "passed", N_("Passed") },
  { "phone", N_("Phone") },
  { "plaque_no", N_("Plaque number") },
  { "publicity_consent", N_("Consents to publicity") },
  { "reason", N_("Reason") },
  { "recorded_by", N_("Recorded by") },
  { "rectify_by", N_("Rectify by") },
  { "reverses", N_("Reverses") },
  { "review_note", N_("Review note") },
  { "review_state", N_("Review state") },
  { "revoked", N_("Revoked") },
  { "revoked_at", N_("Revoked on") },
  { "revoked_reason", N_("Reason for revoking") },
  { "rubric", N_("Rubric") },
  { "rubric_version", N_("Rubric version") },
  { "section_totals", N_("Section totals") },
  { "served_at", N_("Served on") },
  { "service_type", N_("Service type") },
  { "skills", N_("Skills") },
  { "stage", N_("Stage") },
  { "star", N_("Stars") },
  { "start_at", N_("Start") },
  { "state", N_("Award state") },
  { "status", N_("Status") },
  { "status_reason", N_("Reason for the decision") },
  { "summary", N_("Summary") },
  { "tags", N_("Tags") },
  { "team", N_("Team") },
  { "title", N_("Title") },
  { "total", N_("Total") },
  { "valid_from", N_("Valid from") },
  { "valid_to", N_("Valid until") },
  { "veto_hits", N_("Veto items") },
  { "volunteer", N_("Volunteer") },
  { "year", N_("Year") },
};

/* What a person calls a record type ("Household"); @entity itself for one
 * jg-entity.c does not define. */
const char *
jg_entity_label (const char *entity)
{
  static const struct { const char *entity; const char *label; } labels[] = {
    { "activity", N_("Activity") },
    { "household", N_("Household") },
    { "volunteer", N_("Volunteer") },
    { "service_entry", N_("Volunteer hours") },
    { "redemption", N_("Time bank redemption") },
    { "inspection", N_("Courtyard inspection") },
    { "designation", N_("Demonstration household title") },
    { "award", N_("Family award") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].entity, entity) == 0)
      return g_dgettext (GETTEXT_PACKAGE, labels[i].label);
  return entity;
}

/* The field a person knows a record by: its first required text field
 * (a household's head, an activity's title), else the record it belongs
 * to (a REF: an inspection's household), else its first text field; NULL
 * when it has none. */
const JgFieldDef *
jg_entity_title_field (const JgEntityDef *entity)
{
  for (guint i = JG_N_COMMON_FIELDS; i < entity->n_fields; i++)
    if (entity->fields[i].type == JG_FIELD_TEXT && (entity->fields[i].flags & JG_FIELD_FLAG_REQUIRED))
      return &entity->fields[i];
  for (guint i = JG_N_COMMON_FIELDS; i < entity->n_fields; i++)
    if (entity->fields[i].type == JG_FIELD_REF)
      return &entity->fields[i];
  for (guint i = JG_N_COMMON_FIELDS; i < entity->n_fields; i++)
    if (entity->fields[i].type == JG_FIELD_TEXT)
      return &entity->fields[i];
  return NULL;
}

const char *
jg_field_label (const char *field)
{
  if (field == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (strcmp (field_labels[i].name, field) == 0)
      return g_dgettext (GETTEXT_PACKAGE, field_labels[i].label);
  return NULL;
}

/* What a person calls the values of the fixed choices.  The configurable
 * lists carry their own labels in data/domain/domain.json. */
static const struct
{
  const char *field;   /* NULL: any field */
  const char *code;
  const char *label;
} choice_labels[] = {
  { "review_state", "draft", N_("Draft") },
  { "review_state", "submitted", N_("Submitted") },
  { "review_state", "approved", N_("Approved") },
  { "review_state", "returned", N_("Returned") },
  { "gender", "female", N_("Female") },
  { "gender", "male", N_("Male") },
  { "item", "service", N_("Service") },
  { "item", "goods", N_("Goods") },
  { "item", "privilege", N_("Privilege") },
  { "status", "pending", N_("Pending") },
  { "status", "accepted", N_("Accepted") },
  { "status", "rejected", N_("Rejected") },
  { "stage", "self", N_("Self-assessment") },
  { "stage", "village", N_("Village assessment") },
  { "stage", "township", N_("Township review") },
  { "stage", "county", N_("County spot check") },
  { "stage", "third_party", N_("Third party") },
  { "stage", "reinspection", N_("Re-inspection") },
  { "level", "village", N_("Village level") },
  { "level", "township", N_("Township level") },
  { "level", "county", N_("County level") },
  { "level", "city", N_("City level") },
  { "level", "province", N_("Province level") },
  { "level", "national", N_("National level") },
  { "state", "nominated", N_("Nominated") },
  { "state", "under_review", N_("Under review") },
  { "state", "public_notice", N_("Public notice") },
  { "state", "awarded", N_("Awarded") },
  { "state", "declined", N_("Declined") },
};

/* Whether the interface speaks Chinese: the data files carry a Chinese
 * label next to the English one. */
gboolean
jg_ui_is_chinese (void)
{
  const char * const *languages = g_get_language_names ();

  for (guint i = 0; languages[i]; i++)
    {
      if (g_str_has_prefix (languages[i], "zh"))
        return TRUE;
      if (strcmp (languages[i], "C") != 0 && strcmp (languages[i], "C.UTF-8") != 0 &&
          strcmp (languages[i], "POSIX") != 0)
        return FALSE;
    }
  return FALSE;
}

/* The label of a choice's value, in the language of the interface. */
const char *
jg_choice_label (const JgFieldDef *field,
                 const char       *code)
{
  if (field == NULL || code == NULL)
    return code;
  if (field->choice_list != NULL)
    return jg_config_get_label (jg_config_get_default (), field->choice_list, code, jg_ui_is_chinese ());
  for (guint i = 0; i < G_N_ELEMENTS (choice_labels); i++)
    if (strcmp (choice_labels[i].field, field->name) == 0 && strcmp (choice_labels[i].code, code) == 0)
      return g_dgettext (GETTEXT_PACKAGE, choice_labels[i].label);
  return code;
}

/* The label of @code, a value of @entity's @field (a review state, a
 * level, an award state…): what every message shows instead of the code.
 * @entity may be %NULL for the fields every record has; @code itself when
 * it has no label. */
const char *
jg_entity_choice_label (const char *entity,
                        const char *field,
                        const char *code)
{
  const JgEntityDef *def = jg_entity_lookup (entity != NULL ? entity : "household");

  if (def == NULL)
    return code;
  return jg_choice_label (jg_entity_field (def, field, NULL), code);
}

const char *
jg_field_type_name (JgFieldType type)
{
  switch (type)
    {
    case JG_FIELD_TEXT: return "text";
    case JG_FIELD_INT: return "integer";
    case JG_FIELD_REAL: return "number";
    case JG_FIELD_BOOL: return "boolean";
    case JG_FIELD_DATE: return "date";
    case JG_FIELD_DATETIME: return "datetime";
    case JG_FIELD_ENUM: return "choice";
    case JG_FIELD_REF: return "record id";
    case JG_FIELD_UNIT: return "division code";
    case JG_FIELD_STRLIST: return "list of text";
    case JG_FIELD_OBJECT: return "object";
    default: return "unknown";
    }
}

gboolean
jg_field_choice_allowed (const JgFieldDef *field,
                         const char       *value)
{
  const char * const *choices = field->choices;

  if (field->choice_list != NULL)
    choices = jg_config_get_list (jg_config_get_default (), field->choice_list);
  if (choices == NULL || value == NULL)
    return FALSE;
  return g_strv_contains (choices, value);
}

/* The codes of a choice field, fixed or from the configuration; NULL for
 * a field that is not one. */
const char * const *
jg_field_choices (const JgFieldDef *field)
{
  g_return_val_if_fail (field != NULL, NULL);

  if (field->type != JG_FIELD_ENUM)
    return NULL;
  if (field->choice_list != NULL)
    return jg_config_get_list (jg_config_get_default (), field->choice_list);
  return field->choices;
}

/**
 * jg_field_value_from_text:
 * @text: what a person typed
 *
 * The value of @field that @text stands for, as a person would type it: a
 * choice by its code or its label in either language (培训 or training),
 * a yes/no as 是/否 (or yes/no, true/false), a number in digits, a list or
 * object as JSON, anything else as the text itself.  Whether the value is
 * valid for the record is still for the write's rules to say; this only
 * refuses text that cannot be a value of the field's type, saying what
 * the field takes.
 *
 * Returns: (transfer full): the value, or %NULL with %JG_ERROR_INVALID
 */
JsonNode *
jg_field_value_from_text (const JgFieldDef  *field,
                          const char        *text,
                          GError           **error)
{
  g_autofree char *t = g_strstrip (g_strdup (text != NULL ? text : ""));
  JsonNode *node = NULL;
  const char *label = jg_field_label (field->name);

  if (label == NULL)
    label = field->name;

  switch (field->type)
    {
    case JG_FIELD_ENUM:
      {
        const char * const *codes = jg_field_choices (field);

        for (guint i = 0; codes != NULL && codes[i] != NULL; i++)
          {
            gboolean match = g_strcmp0 (t, codes[i]) == 0 || g_strcmp0 (t, jg_choice_label (field, codes[i])) == 0;

            if (!match && field->choice_list != NULL)
              match = g_strcmp0 (t, jg_config_get_label (jg_config_get_default (), field->choice_list,
                                                         codes[i], TRUE)) == 0 ||
                      g_strcmp0 (t, jg_config_get_label (jg_config_get_default (), field->choice_list,
                                                         codes[i], FALSE)) == 0;
            if (match)
              {
                node = json_node_new (JSON_NODE_VALUE);
                json_node_set_string (node, codes[i]);
                return node;
              }
          }
        g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                     _("“%s” is not one of the choices of “%s”"), t, label);
        return NULL;
      }

    case JG_FIELD_BOOL:
      node = json_node_new (JSON_NODE_VALUE);
      if (g_strcmp0 (t, _("Yes")) == 0 || g_strcmp0 (t, "是") == 0 ||
          g_ascii_strcasecmp (t, "yes") == 0 || g_ascii_strcasecmp (t, "true") == 0)
        json_node_set_boolean (node, TRUE);
      else if (g_strcmp0 (t, _("No")) == 0 || g_strcmp0 (t, "否") == 0 ||
               g_ascii_strcasecmp (t, "no") == 0 || g_ascii_strcasecmp (t, "false") == 0)
        json_node_set_boolean (node, FALSE);
      else
        {
          json_node_unref (node);
          g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                       _("“%s” takes yes or no"), label);
          return NULL;
        }
      return node;

    case JG_FIELD_INT:
      {
        gint64 n;

        if (!g_ascii_string_to_signed (t, 10, G_MININT64, G_MAXINT64, &n, NULL))
          {
            g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                         _("“%s” takes a whole number, such as 12"), label);
            return NULL;
          }
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_int (node, n);
        return node;
      }

    case JG_FIELD_REAL:
      {
        char *end = NULL;
        double x = *t != '\0' ? g_ascii_strtod (t, &end) : 0;

        if (*t == '\0' || end == NULL || *end != '\0' || !isfinite (x))
          {
            g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                         _("“%s” takes a number, such as 12.5"), label);
            return NULL;
          }
        node = json_node_new (JSON_NODE_VALUE);
        json_node_set_double (node, x);
        return node;
      }

    case JG_FIELD_STRLIST:
    case JG_FIELD_OBJECT:
      node = json_from_string (t, NULL);
      if (node == NULL)
        g_set_error (error, JG_ERROR, JG_ERROR_INVALID,
                     _("“%s” takes a value written as JSON"), label);
      return node;

    default:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text != NULL ? text : "");
      return node;
    }
}

static gboolean
is_date (const char *s)
{
  int y, m, d;
  char tail;

  if (strlen (s) != 10 || s[4] != '-' || s[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (s[i]))
      return FALSE;
  if (sscanf (s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  return y >= 1900 && y <= 2200 && g_date_valid_dmy (d, m, y);
}

static gboolean
is_datetime (const char *s)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *date = NULL;
  gsize len = strlen (s);

  /* "YYYY-MM-DDTHH:MM" is what forms produce; seconds and a zone may follow. */
  if (len < 16 || (s[10] != 'T' && s[10] != ' '))
    return FALSE;
  date = g_strndup (s, 10);
  if (!is_date (date))
    return FALSE;
  if (len == 16)
    {
      g_autofree char *with_secs = g_strdup_printf ("%.10sT%s:00", s, s + 11);
      dt = g_date_time_new_from_iso8601 (with_secs, utc);
    }
  else
    {
      g_autofree char *t = g_strdup (s);
      t[10] = 'T';
      dt = g_date_time_new_from_iso8601 (t, utc);
    }
  return dt != NULL;
}

static gboolean
is_division_code (const char *s)
{
  gsize len = strlen (s);

  if (len != 2 && len != 4 && len != 6 && len != 9 && len != 12)
    return FALSE;
  for (const char *p = s; *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
text_ok (const JgFieldDef *field,
         const char       *s,
         GError          **error)
{
  gint64 max = field->max_length ? field->max_length : JG_TEXT_MAX_DEFAULT;

  if (!g_utf8_validate (s, -1, NULL))
    {
      jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                          _("“%s” is not valid UTF-8 text"), field->name);
      return FALSE;
    }
  if (g_utf8_strlen (s, -1) > max)
    {
      jg_set_field_error (error, JG_ERROR_TOO_LONG, field->name,
                          _("“%s” is longer than %" PRId64 " characters"),
                          field->name, max);
      return FALSE;
    }
  return TRUE;
}

/* What a value of @type is, for a person: "a whole number". */
static const char *
type_description (JgFieldType type)
{
  switch (type)
    {
    case JG_FIELD_TEXT: return _("text");
    case JG_FIELD_INT: return _("a whole number");
    case JG_FIELD_REAL: return _("a number");
    case JG_FIELD_BOOL: return _("true or false");
    case JG_FIELD_DATE: return _("a date (YYYY-MM-DD)");
    case JG_FIELD_DATETIME: return _("a date and time (YYYY-MM-DDTHH:MM)");
    case JG_FIELD_ENUM: return _("one of its choices");
    case JG_FIELD_REF: return _("a record’s id");
    case JG_FIELD_UNIT: return _("a division code");
    case JG_FIELD_STRLIST: return _("a list of text");
    case JG_FIELD_OBJECT: return _("a JSON object");
    default: return _("a value of its type");
    }
}

static gboolean
wrong_type (const JgFieldDef *field,
            GError          **error)
{
  /* Translators: a field, then what its value must be ("a whole number") */
  jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                      _("“%s” must be %s"), field->name, type_description (field->type));
  return FALSE;
}

/* Checks the JSON type and the syntax of a value; the domain's rules about
 * ranges live in jg-validate.c.  NULL and JSON null clear a field. */
gboolean
jg_field_check_type (const JgFieldDef *field,
                     JsonNode         *value,
                     GError          **error)
{
  GType vt;
  const char *s = NULL;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  switch (field->type)
    {
    case JG_FIELD_STRLIST:
      {
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (value))
          return wrong_type (field, error);
        array = json_node_get_array (value);
        if (json_array_get_length (array) > 200)
          {
            jg_set_field_error (error, JG_ERROR_TOO_LONG, field->name,
                                _("“%s” has too many entries"), field->name);
            return FALSE;
          }
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *e = json_array_get_element (array, i);

            if (!JSON_NODE_HOLDS_VALUE (e) || json_node_get_value_type (e) != G_TYPE_STRING)
              return wrong_type (field, error);
            if (!text_ok (field, json_node_get_string (e), error))
              return FALSE;
          }
        return TRUE;
      }

    case JG_FIELD_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (value))
        return wrong_type (field, error);
      return TRUE;

    default:
      break;
    }

  if (!JSON_NODE_HOLDS_VALUE (value))
    return wrong_type (field, error);
  vt = json_node_get_value_type (value);

  switch (field->type)
    {
    case JG_FIELD_INT:
      return vt == G_TYPE_INT64 ? TRUE : wrong_type (field, error);

    case JG_FIELD_REAL:
      if (vt != G_TYPE_INT64 && vt != G_TYPE_DOUBLE)
        return wrong_type (field, error);
      return TRUE;

    case JG_FIELD_BOOL:
      return vt == G_TYPE_BOOLEAN ? TRUE : wrong_type (field, error);

    default:
      break;
    }

  if (vt != G_TYPE_STRING)
    return wrong_type (field, error);
  s = json_node_get_string (value);
  if (!text_ok (field, s, error))
    return FALSE;

  switch (field->type)
    {
    case JG_FIELD_TEXT:
      return TRUE;

    case JG_FIELD_DATE:
      if (!is_date (s))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                              _("“%s” must be a date like 2024-03-08"), field->name);
          return FALSE;
        }
      return TRUE;

    case JG_FIELD_DATETIME:
      if (!is_datetime (s))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                              _("“%s” must be a date and time like 2024-03-08T09:30"), field->name);
          return FALSE;
        }
      return TRUE;

    case JG_FIELD_ENUM:
      if (!jg_field_choice_allowed (field, s))
        {
          jg_set_field_error (error, JG_ERROR_NOT_ALLOWED_VALUE, field->name,
                              _("“%s” is not an allowed value for “%s”"), s, field->name);
          return FALSE;
        }
      return TRUE;

    case JG_FIELD_REF:
      if (!jg_uuid_valid (s))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                              _("“%s” must be a record id"), field->name);
          return FALSE;
        }
      return TRUE;

    case JG_FIELD_UNIT:
      if (!is_division_code (s))
        {
          jg_set_field_error (error, JG_ERROR_WRONG_TYPE, field->name,
                              _("“%s” must be a division code like 331082004240"), field->name);
          return FALSE;
        }
      return TRUE;

    default:
      return wrong_type (field, error);
    }
}
