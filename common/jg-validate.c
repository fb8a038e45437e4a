/* jg-validate.c: the domain's value rules per record type: ranges, lengths, cross-field checks
 *
 * Only values that this write sets or changes are checked: a record that
 * arrived by sync under older rules must stay editable in its other fields.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jg-config.h"
#include "jg-error.h"
#include "jg-store-private.h"
#include "jg-validate.h"

/* China has one time zone and no daylight saving time. */
#define DOMAIN_UTC_OFFSET (8 * 60 * 60)

#define SECONDS_PER_DAY ((GTimeSpan) 24 * 60 * 60)

/* ---- shared helpers -------------------------------------------------- */

/* Made once: g_time_zone_new_offset() formats and parses an identifier
 * each time, and the server judges every pushed change's value with it. */
static GTimeZone *
domain_time_zone (void)
{
  static GTimeZone *tz;

  if (g_once_init_enter (&tz))
    g_once_init_leave (&tz, g_time_zone_new_offset (DOMAIN_UTC_OFFSET));
  return g_time_zone_ref (tz);
}

GDateTime *
jg_validate_now (JgStore *store)
{
  g_autoptr(GTimeZone) tz = domain_time_zone ();
  g_autoptr(GDateTime) utc = NULL;
  gint64 ms = jg_hlc_wall_ms (jg_store_get_hlc (store));

  utc = g_date_time_new_from_unix_utc (ms / 1000);
  return g_date_time_to_timezone (utc, tz);
}

GDateTime *
jg_validate_parse_datetime (const char *value)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *text = NULL;
  gsize len;

  if (value == NULL || (len = strlen (value)) < 16)
    return NULL;

  /* Forms write "YYYY-MM-DDTHH:MM"; GLib wants the seconds. */
  if (len == 16)
    text = g_strdup_printf ("%s:00", value);
  else
    text = g_strdup (value);
  if (text[10] == ' ')
    text[10] = 'T';

  tz = domain_time_zone ();
  return g_date_time_new_from_iso8601 (text, tz);
}

/* A date-time as people read it beside the dates of the records:
 * "2024-03-08 09:30" in the federation's time zone (a stamp in UTC, like
 * created_at, is shown there); NULL for a value that is not one. */
char *
jg_validate_format_datetime (const char *value)
{
  g_autoptr(GDateTime) at = jg_validate_parse_datetime (value);
  g_autoptr(GTimeZone) tz = domain_time_zone ();
  g_autoptr(GDateTime) there = at ? g_date_time_to_timezone (at, tz) : NULL;

  return there ? g_date_time_format (there, "%Y-%m-%d %H:%M") : NULL;
}

GDate *
jg_validate_parse_date (const char *value)
{
  int y, m, d;
  char tail;

  if (value == NULL || strlen (value) != 10 ||
      sscanf (value, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_new_dmy (d, m, y);
}

static JsonNode *
config_member (const char *section,
               const char *key)
{
  JsonObject *object = jg_config_get_object (jg_config_get_default (), section);

  if (object == NULL || !json_object_has_member (object, key))
    return NULL;
  return json_object_get_member (object, key);
}

gint64
jg_validate_config_int (const char *section,
                        const char *key,
                        gint64      fallback)
{
  JsonNode *node = config_member (section, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

gboolean
jg_validate_config_bool (const char *section,
                         const char *key,
                         gboolean    fallback)
{
  JsonNode *node = config_member (section, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

gboolean
jg_validate_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

static gboolean
node_is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

gboolean
jg_validate_field_changed (JsonObject *old_record,
                           JsonObject *new_record,
                           const char *field)
{
  JsonNode *new_value = json_object_get_member (new_record, field);
  JsonNode *old_value;

  if (old_record == NULL)
    return !node_is_null (new_value);
  old_value = json_object_get_member (old_record, field);
  if (node_is_null (old_value) || node_is_null (new_value))
    return node_is_null (old_value) != node_is_null (new_value);
  return !json_node_equal (old_value, new_value);
}

/* ---- value access ---------------------------------------------------- */

typedef struct
{
  JgStore    *store;
  JsonObject *old_record;
  JsonObject *new_record;
  const char *only;  /* jg_validate_change(): the one field judged */
  GDateTime  *now;   /* check_now() */
} Check;

static void
check_clear (Check *c)
{
  g_clear_pointer (&c->now, g_date_time_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Check, check_clear)

/* Today in the domain's time zone, made when a rule first needs it: most
 * values are judged without it. */
static GDateTime *
check_now (Check *c)
{
  if (c->now == NULL)
    c->now = jg_validate_now (c->store);
  return c->now;
}

static gboolean
changed (Check      *c,
         const char *field)
{
  /* The same answer as below for a field the write does not carry, without
   * the two lookups: the server judges every pushed change on its own. */
  if (c->only != NULL && strcmp (field, c->only) != 0)
    return FALSE;
  return jg_validate_field_changed (c->old_record, c->new_record, field);
}

static gboolean
get_int (Check      *c,
         const char *field,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (c->new_record, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static gboolean
get_number (Check      *c,
            const char *field,
            double     *out)
{
  JsonNode *node = json_object_get_member (c->new_record, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    return FALSE;
  return TRUE;
}

static const char *
get_string (Check      *c,
            const char *field)
{
  JsonNode *node = json_object_get_member (c->new_record, field);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_bool (Check      *c,
          const char *field)
{
  JsonNode *node = json_object_get_member (c->new_record, field);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

/* ---- rules shared by several record types --------------------------- */

static gboolean
check_int_range (Check      *c,
                 const char *field,
                 gint64      min,
                 gint64      max,
                 GError    **error)
{
  gint64 v;

  if (!changed (c, field) || !get_int (c, field, &v))
    return TRUE;
  if (v < min || v > max)
    {
      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, field,
                          _("“%s” must be between %" PRId64 " and %" PRId64),
                          field, min, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_not_above (Check      *c,
                 const char *part,
                 const char *total,
                 GError    **error)
{
  gint64 p, t;

  if (!changed (c, part) && !changed (c, total))
    return TRUE;
  if (!get_int (c, part, &p) || !get_int (c, total, &t))
    return TRUE;
  if (p > t)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, part,
                          _("“%s” cannot be more than “%s”"), part, total);
      return FALSE;
    }
  return TRUE;
}

/* Required text must say something: a name of spaces is no name. */
static gboolean
check_required_text (Check             *c,
                     const JgEntityDef *entity,
                     GError           **error)
{
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const JgFieldDef *f = &entity->fields[i];

      if (f->type != JG_FIELD_TEXT || !(f->flags & JG_FIELD_FLAG_REQUIRED))
        continue;
      if (changed (c, f->name) && jg_validate_text_is_blank (get_string (c, f->name)))
        {
          jg_set_field_error (error, JG_ERROR_REQUIRED, f->name,
                              _("“%s” cannot be only spaces"), f->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* A time in the future by more than the allowed days is a typo or a wrong
 * clock; refusing it keeps one bad date from topping every sorted list. */
static gboolean
check_datetime_not_future (Check      *c,
                           const char *field,
                           int         days_ahead,
                           GError    **error)
{
  g_autoptr(GDateTime) value = NULL;
  const char *s;

  if (!changed (c, field) || (s = get_string (c, field)) == NULL)
    return TRUE;
  value = jg_validate_parse_datetime (s);
  if (value == NULL)
    return TRUE;   /* the syntax is jg-entity.c's business */
  if (g_date_time_difference (value, check_now (c)) > days_ahead * SECONDS_PER_DAY * G_TIME_SPAN_SECOND)
    {
      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, field,
                          _("“%s” is too far in the future; check the date and the computer’s clock"),
                          field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_date_not_future (Check      *c,
                       const char *field,
                       int         days_ahead,
                       GError    **error)
{
  g_autoptr(GDate) value = NULL;
  GDate today;
  const char *s;

  if (!changed (c, field) || (s = get_string (c, field)) == NULL)
    return TRUE;
  if ((value = jg_validate_parse_date (s)) == NULL)
    return TRUE;
  g_date_clear (&today, 1);
  g_date_set_dmy (&today,
                  g_date_time_get_day_of_month (check_now (c)),
                  g_date_time_get_month (check_now (c)),
                  g_date_time_get_year (check_now (c)));
  g_date_add_days (&today, days_ahead);
  if (g_date_compare (value, &today) > 0)
    {
      jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, field,
                          _("“%s” is too far in the future; check the date and the computer’s clock"),
                          field);
      return FALSE;
    }
  return TRUE;
}

/* "YYYY-MM-DD" compares correctly as text; datetimes are parsed so that a
 * zone in one of them is honoured. */
static int
compare_times (const char *a,
               const char *b,
               gboolean    datetime)
{
  g_autoptr(GDateTime) da = NULL;
  g_autoptr(GDateTime) db = NULL;

  if (!datetime)
    return strcmp (a, b);
  da = jg_validate_parse_datetime (a);
  db = jg_validate_parse_datetime (b);
  if (da == NULL || db == NULL)
    return 0;
  return g_date_time_compare (da, db);
}

static gboolean
check_order (Check      *c,
             const char *first,
             const char *second,
             gboolean    datetime,
             GError    **error)
{
  const char *a, *b;

  if (!changed (c, first) && !changed (c, second))
    return TRUE;
  if ((a = get_string (c, first)) == NULL || (b = get_string (c, second)) == NULL)
    return TRUE;
  if (compare_times (b, a, datetime) < 0)
    {
      jg_set_field_error (error, JG_ERROR_INVALID, second,
                          _("“%s” cannot be before “%s”"), second, first);
      return FALSE;
    }
  return TRUE;
}


/* A mainland mobile (11 digits starting with 1, "13812345678" or
 * "138-1234-5678"), a landline with its area code (0 and 2–3 digits, then
 * 7–8: "0576-85123456", "057685123456") or a local landline of 7–8 digits
 * ("85123456"), written with digits and single dashes; a mobile may have
 * the country's code before it (+86, 0086, 86).  99999999999 is none of
 * them. */
static gboolean
phone_ok (const char *s)
{
  static const char * const country_codes[] = { "+86", "0086", "86" };
  gsize len, digits = 0;

  /* The country's code before a mobile: +86, 0086 or 86, with or without
   * a dash; only before the eleven digits of one (86123456 is a local
   * number). */
  for (guint i = 0; i < G_N_ELEMENTS (country_codes); i++)
    {
      const char *rest;
      gsize rest_digits = 0;

      if (!g_str_has_prefix (s, country_codes[i]))
        continue;
      rest = s + strlen (country_codes[i]);
      if (*rest == '-')
        rest++;
      for (const char *p = rest; *p; p++)
        rest_digits += g_ascii_isdigit (*p) ? 1 : 0;
      if (*rest == '1' && rest_digits == 11)
        {
          s = rest;
          break;
        }
    }
  len = strlen (s);

  if (len < 7 || len > 14 || s[0] == '-' || s[len - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (g_ascii_isdigit (s[i]))
        digits++;
      else if (s[i] != '-' || s[i + 1] == '-')
        return FALSE;
    }
  if (s[0] == '1')
    return digits == 11;
  if (s[0] == '0')
    return digits >= 10 && digits <= 12;
  return digits >= 7 && digits <= 8;
}

static gboolean
check_phone (Check    *c,
             GError  **error)
{
  const char *s;

  if (!changed (c, "phone") || (s = get_string (c, "phone")) == NULL || *s == '\0')
    return TRUE;
  if (!phone_ok (s))
    {
      jg_set_field_error (error, JG_ERROR_INVALID, "phone",
                          _("“%s” is not a phone number: use the 11 digits of a mobile, or a landline with its area code (0576-85123456)"),
                          s);
      return FALSE;
    }
  return TRUE;
}

/* The org-unit table is empty in a bare store (before the units are
 * imported); then any well-formed code is accepted.  A unit may be stored
 * with its 12-digit code while a record names it by the short one. */
static gboolean
check_org_unit (Check    *c,
                GError  **error)
{
  g_autoptr(JgStmt) any = NULL;
  g_autoptr(JgStmt) known = NULL;
  g_autofree char *padded = NULL;
  const char *code;
  int rc;

  if (!changed (c, "org_unit") || (code = get_string (c, "org_unit")) == NULL)
    return TRUE;

  any = jg_store_prepare (c->store, "SELECT EXISTS (SELECT 1 FROM org_unit)", error);
  if (any == NULL)
    return FALSE;
  if (sqlite3_step (any) != SQLITE_ROW)
    return jg_store_sqlite_error (c->store, error);
  if (sqlite3_column_int (any, 0) == 0)
    return TRUE;

  padded = g_strdup_printf ("%s%.*s", code, (int) MAX (0, 12 - (int) strlen (code)), "000000000000");
  known = jg_store_prepare (c->store,
                            "SELECT 1 FROM org_unit WHERE division_code IN (?1, ?2) LIMIT 1", error);
  if (known == NULL)
    return FALSE;
  sqlite3_bind_text (known, 1, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (known, 2, padded, -1, SQLITE_STATIC);
  rc = sqlite3_step (known);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (c->store, error);
  jg_set_field_error (error, JG_ERROR_NOT_FOUND, "org_unit",
                      _("“%s” is not a known org unit"), code);
  return FALSE;
}

/* ---- per record type ------------------------------------------------- */

static gboolean
validate_household (Check    *c,
                    GError  **error)
{
  const char *consent_at;

  if (!check_int_range (c, "member_count", 1, 50, error) ||
      !check_phone (c, error))
    return FALSE;

  /* Consent without a time cannot be shown to an inspector later. */
  consent_at = get_string (c, "consent_at");
  if (get_bool (c, "publicity_consent") && (consent_at == NULL || *consent_at == '\0'))
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GDateTime) now_utc = g_date_time_to_timezone (check_now (c), utc);
      g_autofree char *stamp = g_date_time_format (now_utc, "%Y-%m-%dT%H:%M:%SZ");

      json_object_set_string_member (c->new_record, "consent_at", stamp);
    }
  /* consent_at says when the consent in force was given: none, no time. */
  if (!get_bool (c, "publicity_consent") && consent_at != NULL)
    json_object_set_null_member (c->new_record, "consent_at");
  return check_datetime_not_future (c, "consent_at", 1, error);
}

static gboolean
validate_activity (Check    *c,
                   GError  **error)
{
  double funds;

  if (!check_datetime_not_future (c, "start_at", 366, error) ||
      !check_order (c, "start_at", "end_at", TRUE, error) ||
      !check_datetime_not_future (c, "end_at", 366, error) ||
      !check_int_range (c, "participants", 0, 10000000, error) ||
      !check_int_range (c, "participants_women", 0, 10000000, error) ||
      !check_int_range (c, "participants_children", 0, 10000000, error) ||
      !check_not_above (c, "participants_women", "participants", error) ||
      !check_not_above (c, "participants_children", "participants", error) ||
      !check_int_range (c, "beneficiaries", 0, 100000000, error))
    return FALSE;

  if (changed (c, "funds_yuan") && get_number (c, "funds_yuan", &funds))
    {
      if (!isfinite (funds) || funds < 0 || funds > 10000000)
        {
          jg_set_field_error (error, JG_ERROR_OUT_OF_RANGE, "funds_yuan",
                              _("“%s” must be between 0 and 10,000,000 yuan"), "funds_yuan");
          return FALSE;
        }
      /* Money is in fen at most; the tolerance absorbs binary rounding. */
      if (fabs (funds * 100 - round (funds * 100)) > 1e-6)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, "funds_yuan",
                              _("“%s” can have at most two decimals"), "funds_yuan");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_volunteer (Check    *c,
                    GError  **error)
{
  const char *id4;

  if (!check_int_range (c, "birth_year", 1920, g_date_time_get_year (check_now (c)), error) ||
      !check_phone (c, error) ||
      !check_date_not_future (c, "joined_at", 1, error))
    return FALSE;

  if (changed (c, "id_last4") && (id4 = get_string (c, "id_last4")) != NULL && *id4 != '\0')
    {
      gsize len = strlen (id4);
      gboolean ok = len == 4;

      /* PIPL: a village laptop must never hold a full ID number, so it is
       * refused outright rather than cut down to its last four. */
      if (len == 15 || len == 18)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, "id_last4",
                              _("Enter only the last four characters of the ID number; the full number is never kept"));
          return FALSE;
        }
      for (gsize i = 0; ok && i < len; i++)
        ok = g_ascii_isdigit (id4[i]) || id4[i] == 'X' || id4[i] == 'x';
      if (!ok)
        {
          jg_set_field_error (error, JG_ERROR_INVALID, "id_last4",
                              _("“%s” must be exactly four digits (the last may be X)"), "id_last4");
          return FALSE;
        }
      if (strchr (id4, 'x') != NULL)
        {
          g_autofree char *upper = g_ascii_strup (id4, -1);

          json_object_set_string_member (c->new_record, "id_last4", upper);
        }
    }
  return TRUE;
}

static gboolean
validate_service_entry (Check    *c,
                        GError  **error)
{
  return check_int_range (c, "minutes", 1,
                          jg_validate_config_int ("time_bank", "max_entry_minutes", 1440),
                          error) &&
         check_datetime_not_future (c, "served_at", 1, error);
}

static gboolean
validate_redemption (Check    *c,
                     GError  **error)
{
  return check_int_range (c, "minutes", 1, G_GINT64_CONSTANT (100000000), error);
}

static gboolean
validate_inspection (Check    *c,
                     GError  **error)
{
  return check_date_not_future (c, "inspected_at", 1, error) &&
         check_order (c, "inspected_at", "rectify_by", FALSE, error);
}

static gboolean
validate_designation (Check    *c,
                      GError  **error)
{
  return check_order (c, "valid_from", "valid_to", FALSE, error);
}

static gboolean
validate_award (Check    *c,
                GError  **error)
{
  return check_int_range (c, "year", 2000, g_date_time_get_year (check_now (c)) + 1, error) &&
         check_order (c, "notice_start", "notice_end", FALSE, error);
}

static gboolean
validate (Check             *c,
          const JgEntityDef *entity,
          GError           **error)
{
  const char *name = entity->name;

  if (!check_required_text (c, entity, error) ||
      !check_org_unit (c, error))
    return FALSE;

  if (strcmp (name, "household") == 0)
    return validate_household (c, error);
  if (strcmp (name, "activity") == 0)
    return validate_activity (c, error);
  if (strcmp (name, "volunteer") == 0)
    return validate_volunteer (c, error);
  if (strcmp (name, "service_entry") == 0)
    return validate_service_entry (c, error);
  if (strcmp (name, "redemption") == 0)
    return validate_redemption (c, error);
  if (strcmp (name, "inspection") == 0)
    return validate_inspection (c, error);
  if (strcmp (name, "designation") == 0)
    return validate_designation (c, error);
  if (strcmp (name, "award") == 0)
    return validate_award (c, error);
  return TRUE;
}

gboolean
jg_validate_record (JgStore           *store,
                    const JgEntityDef *entity,
                    JsonObject        *old_record,
                    JsonObject        *new_record,
                    GError           **error)
{
  g_auto(Check) c = { store, old_record, new_record, NULL, NULL };

  return validate (&c, entity, error);
}

/* One change from another machine, judged on its own: the rules that need
 * only that field's value (ranges, formats, known units).  Rules across
 * fields are judged where the whole record is written. */
gboolean
jg_validate_change (JgStore           *store,
                    const JgEntityDef *entity,
                    const char        *field,
                    JsonNode          *value,
                    GError           **error)
{
  g_autoptr(JsonObject) after = json_object_new ();
  const JgFieldDef *def = jg_entity_field (entity, field, NULL);
  g_auto(Check) c = { store, NULL, after, field, NULL };

  /* A local write never empties a required field (jg_rules_check_write());
   * a change that does would leave a record no one can save again. */
  if (def != NULL && (def->flags & JG_FIELD_FLAG_REQUIRED) && (value == NULL || JSON_NODE_HOLDS_NULL (value)))
    {
      jg_set_field_error (error, JG_ERROR_REQUIRED, field, _("“%s” is required and cannot be emptied"), field);
      return FALSE;
    }
  if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
    json_object_set_member (after, field, json_node_ref (value));
  return validate (&c, entity, error);
}
