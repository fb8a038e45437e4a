/* jg-stats.c: the figures of an annual work report, per org unit
 *
 * Every figure is one statement that groups the records of a subtree by the
 * child unit they fall under: the records are joined to org_unit on their
 * division code (as jg_store_list() and jg_rubric_designation_coverage()
 * match units), and the child is the first segment of the unit's path below
 * the parent's; a record of the unit itself (a township's own activity)
 * falls in the unit's own row, 本级, so that the rows add up to the total.
 * C only adds up the grouped rows, a few hundred at most.
 *
 * What counts: a report is what a unit sends upward, so its figures are of
 * approved records only (review_state 'approved', not deleted): activities,
 * inspections, awards (when awarded: an award's own workflow, nominated to
 * awarded, is its decision, and its review state plays no part; "total"
 * counts awards, "families" the families holding them), volunteer hours (and not reversed:
 * they are money-like), and designations as jg_rubric_designation_coverage()
 * counts them (approved, not revoked, and in force today, or at the end of
 * the year for a past year's report), so that this year's coverage here is
 * the coverage there.  Households are the register, not work done:
 * every household not deleted counts, approved or not, and coverage
 * (示范户占比) is designated households / all households, as DOMAIN.md
 * defines it; "not_approved" still tells how many of them wait for a
 * reviewer.  What is not approved yet (draft,
 * submitted, returned; an award neither approved nor awarded) is counted
 * apart, in "not_approved", so that nothing
 * is hidden and a village's overview still shows the work waiting for the
 * county.  A record of a deleted household (an inspection or award another
 * laptop added while this one deleted the household) goes with it
 * (jg-rules.h).
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "jg-error.h"
#include "jg-ledger.h"
#include "jg-org-units.h"
#include "jg-rules.h"
#include "jg-stats.h"
#include "jg-store-private.h"
#include "jg-validate.h"

/* The units of the subtree at ?1 (a path), each with the path of the child
 * of ?1 it lies under; the parent itself maps to ?1.  A code kept in two
 * editions is counted once. */
#define UNIT_MAP \
  "WITH m (code, bucket) AS (" \
  "  SELECT division_code," \
  "         max (substr (path, 1, length (?1) + instr (substr (path, length (?1) + 1), '/')))" \
  "  FROM org_unit WHERE substr (path, 1, length (?1)) = ?1" \
  "  GROUP BY division_code) "

static const char households_sql[] =
  UNIT_MAP
  "SELECT m.bucket, count (*) FROM household r JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 GROUP BY m.bucket";

/* The conditions of jg_rubric_designation_coverage(), grouped. */
static const char designated_sql[] =
  UNIT_MAP
  "SELECT m.bucket, count (DISTINCT d.household) FROM designation d"
  " JOIN household h ON h.id = d.household"
  " JOIN m ON m.code = h.org_unit"
  " WHERE h.deleted IS NOT 1 AND d.deleted IS NOT 1 AND d.revoked IS NOT 1"
  "   AND d.review_state = 'approved'"
  "   AND (d.valid_from IS NULL OR d.valid_from <= ?2)"
  "   AND (d.valid_to IS NULL OR d.valid_to >= ?2)"
  " GROUP BY m.bucket";

static const char inspections_sql[] =
  UNIT_MAP
  "SELECT m.bucket, coalesce (r.star, 0), count (*) FROM inspection r"
  " JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.review_state = 'approved' AND r.inspected_at >= ?2 AND r.inspected_at < ?3"
  "   AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("r.household")
  " GROUP BY 1, 2 ORDER BY 2";

static const char activities_sql[] =
  UNIT_MAP
  "SELECT m.bucket, r.category, substr (r.start_at, 6, 2), count (*),"
  "       coalesce (sum (r.beneficiaries), 0), coalesce (sum (r.participants), 0),"
  "       total (r.funds_yuan)"
  " FROM activity r JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.review_state = 'approved' AND r.start_at >= ?2 AND r.start_at < ?3"
  " GROUP BY 1, 2, 3 ORDER BY 2, 3";

/* As jg_ledger_balance() counts earned hours: an entry reversed by an
 * approved reversal and the reversal both drop out. */
static const char service_sql[] =
  UNIT_MAP
  "SELECT m.bucket, coalesce (sum (r.minutes), 0) FROM service_entry r"
  " JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.reverses IS NULL AND r.review_state = 'approved'"
  "   AND r.served_at >= ?2 AND r.served_at < ?3"
  "   AND r.id NOT IN (" JG_LEDGER_REVERSED_SQL ("service_entry") ")"
  " GROUP BY m.bucket";

static const char awards_sql[] =
  UNIT_MAP
  "SELECT m.bucket, r.award_type, r.level, count (*) FROM award r"
  " JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.state = 'awarded'"
  "   AND r.year = ?2 AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("r.household")
  " GROUP BY 1, 2, 3 ORDER BY 2, 3";

/* 表彰家庭N户: the families the awarded awards went to, each once however
 * many awards it holds: a household, or for an award naming no household,
 * its family_name in its unit (the same name in two villages is two
 * families).  A family counted under two children is still one family of
 * the unit, so the unit's own count is a row of its own (bucket NULL, last)
 * rather than the sum of its children's. */
#define AWARD_FAMILY \
  "coalesce (r.household, CASE WHEN r.family_name IS NOT NULL AND r.family_name != ''" \
  "                       THEN r.org_unit || '/' || r.family_name END)"
static const char award_families_sql[] =
  UNIT_MAP
  "SELECT m.bucket, count (DISTINCT " AWARD_FAMILY "), 0 FROM award r"
  " JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.state = 'awarded' AND r.year = ?2"
  "   AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("r.household")
  " GROUP BY m.bucket"
  " UNION ALL "
  "SELECT NULL, count (DISTINCT " AWARD_FAMILY "), 1 FROM award r"
  " JOIN m ON m.code = r.org_unit"
  " WHERE r.deleted IS NOT 1 AND r.state = 'awarded' AND r.year = ?2"
  "   AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("r.household")
  " ORDER BY 3";

/* The records of the year that the figures above leave out because they
 * are not approved yet (draft, submitted or returned), by record type. */
static const char not_approved_sql[] =
  UNIT_MAP
  "SELECT m.bucket, t.kind, count (*) FROM ("
  "  SELECT 'households' AS kind, org_unit FROM household"
  "   WHERE deleted IS NOT 1 AND review_state IS NOT 'approved'"
  "  UNION ALL SELECT 'activities', org_unit FROM activity"
  "   WHERE deleted IS NOT 1 AND review_state IS NOT 'approved' AND start_at >= ?2 AND start_at < ?3"
  "  UNION ALL SELECT 'inspections', org_unit FROM inspection"
  "   WHERE deleted IS NOT 1 AND review_state IS NOT 'approved' AND inspected_at >= ?2 AND inspected_at < ?3"
  "     AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("inspection.household")
  "  UNION ALL SELECT 'service_entries', org_unit FROM service_entry"
  "   WHERE deleted IS NOT 1 AND review_state IS NOT 'approved' AND served_at >= ?2 AND served_at < ?3"
  "  UNION ALL SELECT 'designations', h.org_unit FROM designation d JOIN household h ON h.id = d.household"
  "   WHERE h.deleted IS NOT 1 AND d.deleted IS NOT 1 AND d.revoked IS NOT 1"
  "     AND d.review_state IS NOT 'approved'"
  "  UNION ALL SELECT 'awards', org_unit FROM award"
  "   WHERE deleted IS NOT 1 AND review_state IS NOT 'approved' AND state IS NOT 'awarded'"
  "     AND " JG_RULES_HOUSEHOLD_LIVE_SQL ("award.household")
  "     AND year = CAST (substr (?2, 1, 4) AS INTEGER)"
  ") t JOIN m ON m.code = t.org_unit GROUP BY 1, 2";

static const char * const not_approved_kinds[] = {
  "households", "activities", "inspections", "service_entries", "designations", "awards", NULL
};

/* ---- the figures of one unit ------------------------------------------ */

static JsonObject *
counter_object (void)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "count", 0);
  json_object_set_int_member (o, "beneficiaries", 0);
  return o;
}

static JsonObject *
figures_new (void)
{
  JsonObject *figures = json_object_new ();
  JsonObject *inspections = json_object_new ();
  JsonObject *by_star = json_object_new ();
  JsonObject *activities = json_object_new ();
  JsonObject *by_month = json_object_new ();
  JsonObject *service = json_object_new ();
  JsonObject *awards = json_object_new ();
  JsonObject *not_approved = json_object_new ();

  json_object_set_int_member (figures, "households", 0);
  json_object_set_int_member (figures, "designated_households", 0);
  json_object_set_double_member (figures, "coverage_percent", 0);

  /* The default rubric's stars; a county's rubric with more adds keys. */
  for (int star = 0; star <= 3; star++)
    {
      char key[16];

      g_snprintf (key, sizeof key, "%d", star);
      json_object_set_int_member (by_star, key, 0);
    }
  json_object_set_int_member (inspections, "total", 0);
  json_object_set_object_member (inspections, "by_star", by_star);
  json_object_set_object_member (figures, "inspections", inspections);

  /* Every month, so that a report's table has no holes. */
  for (int month = 1; month <= 12; month++)
    {
      char key[16];

      g_snprintf (key, sizeof key, "%02d", month);
      json_object_set_object_member (by_month, key, counter_object ());
    }
  json_object_set_int_member (activities, "count", 0);
  json_object_set_int_member (activities, "beneficiaries", 0);
  json_object_set_int_member (activities, "participants", 0);
  json_object_set_double_member (activities, "funds_yuan", 0);
  json_object_set_object_member (activities, "by_category", json_object_new ());
  json_object_set_object_member (activities, "by_month", by_month);
  json_object_set_object_member (figures, "activities", activities);

  json_object_set_int_member (service, "minutes", 0);
  json_object_set_double_member (service, "hours", 0);
  json_object_set_object_member (figures, "volunteer_service", service);

  json_object_set_int_member (awards, "total", 0);
  json_object_set_int_member (awards, "families", 0);
  json_object_set_object_member (awards, "by_type", json_object_new ());
  json_object_set_object_member (awards, "by_level", json_object_new ());
  json_object_set_object_member (figures, "awards", awards);

  json_object_set_int_member (not_approved, "total", 0);
  for (guint i = 0; not_approved_kinds[i] != NULL; i++)
    json_object_set_int_member (not_approved, not_approved_kinds[i], 0);
  json_object_set_object_member (figures, "not_approved", not_approved);
  return figures;
}

static void
add_int (JsonObject *object,
         const char *member,
         gint64      n)
{
  json_object_set_int_member (object, member,
                              json_object_get_int_member_with_default (object, member, 0) + n);
}

static void
add_double (JsonObject *object,
            const char *member,
            double      x)
{
  json_object_set_double_member (object, member,
                                 json_object_get_double_member_with_default (object, member, 0) + x);
}

/* The member object, made when it is not there yet. */
static JsonObject *
sub_object (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    json_object_set_object_member (object, member, counter_object ());
  return json_object_get_object_member (object, member);
}

/* A percentage or an hour count with one decimal, as a report prints it. */
static double
one_decimal (double x)
{
  return round (x * 10) / 10;
}

static void
figures_finish (JsonObject *figures)
{
  gint64 households = json_object_get_int_member (figures, "households");
  gint64 designated = json_object_get_int_member (figures, "designated_households");
  JsonObject *service = json_object_get_object_member (figures, "volunteer_service");
  JsonObject *activities = json_object_get_object_member (figures, "activities");

  json_object_set_double_member (figures, "coverage_percent",
                                 households > 0 ? one_decimal (100.0 * (double) designated / (double) households) : 0);
  json_object_set_double_member (service, "hours",
                                 one_decimal ((double) json_object_get_int_member (service, "minutes") / 60.0));
  json_object_set_double_member (activities, "funds_yuan",
                                 round (json_object_get_double_member (activities, "funds_yuan") * 100) / 100);
}

/* ---- running the grouped statements ----------------------------------- */

typedef struct
{
  JgStore    *store;
  const char *path;      /* the unit's path, ?1 */
  JsonObject *total;     /* the figures of the unit's whole subtree */
  GHashTable *children;  /* child path → its figures (borrowed) */
  JsonObject *own;       /* the records of the unit itself (本级) */
  gboolean    has_own;   /* whether any row fell there */
} Tally;

/* The figures a row of bucket counts into: the unit's and, when the record
 * lies under a child, that child's, or when it names the unit itself, the
 * unit's own row.  NULL ends the list. */
static void
targets_for (Tally       *tally,
             const char  *bucket,
             JsonObject **out)
{
  out[0] = tally->total;
  out[1] = NULL;
  out[2] = NULL;
  if (bucket == NULL)
    return;
  if (strcmp (bucket, tally->path) == 0)
    {
      out[1] = tally->own;
      tally->has_own = TRUE;
    }
  else
    out[1] = g_hash_table_lookup (tally->children, bucket);
}

typedef void (*RowFunc) (JgStmt      *stmt,
                         JsonObject  *figures);

static gboolean
run_grouped (Tally       *tally,
             const char  *sql,
             const char  *text2,
             const char  *text3,
             gint64       int2,
             RowFunc      row,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (tally->store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  /* ?1 the unit's path; ?2 and ?3 what the figure is limited by, if anything. */
  sqlite3_bind_text (stmt, 1, tally->path, -1, SQLITE_TRANSIENT);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    {
      if (text2 != NULL)
        sqlite3_bind_text (stmt, 2, text2, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_int64 (stmt, 2, int2);
    }
  if (text3 != NULL && sqlite3_bind_parameter_count (stmt) >= 3)
    sqlite3_bind_text (stmt, 3, text3, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *targets[3];

      targets_for (tally, jg_stmt_text (stmt, 0), targets);
      for (guint i = 0; targets[i] != NULL; i++)
        row (stmt, targets[i]);
    }
  if (rc != SQLITE_DONE)
    return jg_store_sqlite_error (tally->store, error);
  return TRUE;
}

static void
households_row (JgStmt     *stmt,
                JsonObject *figures)
{
  add_int (figures, "households", sqlite3_column_int64 (stmt, 1));
}

static void
designated_row (JgStmt     *stmt,
                JsonObject *figures)
{
  add_int (figures, "designated_households", sqlite3_column_int64 (stmt, 1));
}

static void
inspections_row (JgStmt     *stmt,
                 JsonObject *figures)
{
  JsonObject *inspections = json_object_get_object_member (figures, "inspections");
  char star[24];
  gint64 n = sqlite3_column_int64 (stmt, 2);

  g_snprintf (star, sizeof star, "%" PRId64, (gint64) sqlite3_column_int64 (stmt, 1));
  add_int (inspections, "total", n);
  add_int (json_object_get_object_member (inspections, "by_star"), star, n);
}

static void
activities_row (JgStmt     *stmt,
                JsonObject *figures)
{
  JsonObject *activities = json_object_get_object_member (figures, "activities");
  JsonObject *by_month = json_object_get_object_member (activities, "by_month");
  const char *category = jg_stmt_text (stmt, 1);
  const char *month = jg_stmt_text (stmt, 2);
  gint64 n = sqlite3_column_int64 (stmt, 3);
  gint64 beneficiaries = sqlite3_column_int64 (stmt, 4);
  JsonObject *counter;

  add_int (activities, "count", n);
  add_int (activities, "beneficiaries", beneficiaries);
  add_int (activities, "participants", sqlite3_column_int64 (stmt, 5));
  add_double (activities, "funds_yuan", sqlite3_column_double (stmt, 6));

  counter = sub_object (json_object_get_object_member (activities, "by_category"),
                        category ? category : "other");
  add_int (counter, "count", n);
  add_int (counter, "beneficiaries", beneficiaries);

  /* start_at is checked as a date and time on write, so the month is two
   * digits; anything else would be a record from a broken replica. */
  if (month != NULL && json_object_has_member (by_month, month))
    {
      counter = json_object_get_object_member (by_month, month);
      add_int (counter, "count", n);
      add_int (counter, "beneficiaries", beneficiaries);
    }
}

static void
service_row (JgStmt     *stmt,
             JsonObject *figures)
{
  add_int (json_object_get_object_member (figures, "volunteer_service"), "minutes",
           sqlite3_column_int64 (stmt, 1));
}

static void
awards_row (JgStmt     *stmt,
            JsonObject *figures)
{
  JsonObject *awards = json_object_get_object_member (figures, "awards");
  const char *type = jg_stmt_text (stmt, 1);
  const char *level = jg_stmt_text (stmt, 2);
  gint64 n = sqlite3_column_int64 (stmt, 3);

  add_int (awards, "total", n);
  add_int (json_object_get_object_member (awards, "by_type"), type ? type : "other", n);
  add_int (json_object_get_object_member (awards, "by_level"), level ? level : "other", n);
}

/* Set, not added: a child's row also reaches the unit's figures, and the
 * unit's own row, which comes last, puts its count in their place. */
static void
award_families_row (JgStmt     *stmt,
                    JsonObject *figures)
{
  json_object_set_int_member (json_object_get_object_member (figures, "awards"), "families",
                              sqlite3_column_int64 (stmt, 1));
}

static void
not_approved_row (JgStmt     *stmt,
                  JsonObject *figures)
{
  JsonObject *not_approved = json_object_get_object_member (figures, "not_approved");
  gint64 n = sqlite3_column_int64 (stmt, 2);

  add_int (not_approved, "total", n);
  add_int (not_approved, jg_stmt_text (stmt, 1), n);
}

/* As jg_rubric_designation_coverage() sees today. */
static char *
store_today (JgStore *store)
{
  gint64 ms = jg_hlc_wall_ms (jg_store_get_hlc (store));
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (ms / 1000);

  return g_date_time_format (now, "%Y-%m-%d");
}

static JsonObject *
unit_entry (JsonObject *unit,
            JsonObject *figures)
{
  JsonObject *entry = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (figures);

  json_object_set_string_member (entry, "code", json_object_get_string_member (unit, "code"));
  json_object_set_string_member (entry, "name", json_object_get_string_member (unit, "name"));
  json_object_set_string_member (entry, "level", json_object_get_string_member (unit, "level"));
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (entry, l->data, json_node_copy (json_object_get_member (figures, l->data)));
  return entry;
}

JsonObject *
jg_stats_compute (JgStore     *store,
                  const char  *org_code,
                  int          year,
                  GError     **error)
{
  g_autofree char *own_unit = NULL;
  g_autoptr(JsonObject) unit = NULL;
  g_autoptr(JsonArray) children = NULL;
  g_autoptr(JsonObject) total = figures_new ();
  g_autoptr(JsonObject) own = figures_new ();
  g_autoptr(GPtrArray) child_figures = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) by_path = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonArray) child_entries = json_array_new ();
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *today = NULL;
  JsonObject *out;
  Tally tally;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  if (org_code == NULL)
    {
      own_unit = jg_store_dup_meta (store, "org_unit");
      org_code = own_unit != NULL && *own_unit != '\0' ? own_unit : JG_ORG_UNITS_BUILTIN_COUNTY;
    }
  if (year <= 0)
    {
      g_autoptr(GDateTime) now = jg_validate_now (store);

      year = g_date_time_get_year (now);
    }
  if (year > 9998)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE, _("%d is not a year the records can have"), year);
      return NULL;
    }

  unit = jg_org_units_lookup (store, org_code, error);
  if (unit == NULL)
    return NULL;
  children = jg_org_units_children (store, json_object_get_string_member (unit, "code"), error);
  if (children == NULL)
    return NULL;
  for (guint i = 0; i < json_array_get_length (children); i++)
    {
      JsonObject *child = json_array_get_object_element (children, i);
      JsonObject *figures = figures_new ();

      g_ptr_array_add (child_figures, figures);
      /* An older edition's row of the same unit shares its path. */
      if (!g_hash_table_contains (by_path, json_object_get_string_member (child, "path")))
        g_hash_table_insert (by_path, (gpointer) json_object_get_string_member (child, "path"), figures);
    }

  from = g_strdup_printf ("%04d-01-01", year);
  until = g_strdup_printf ("%04d-01-01", year + 1);
  today = store_today (store);
  /* A past year's report counts the titles in force when it ended, not
   * the ones granted since. */
  if (strncmp (until, today, 10) <= 0)
    {
      g_free (today);
      today = g_strdup_printf ("%04d-12-31", year);
    }
  tally = (Tally) {
    .store = store,
    .path = json_object_get_string_member (unit, "path"),
    .total = total,
    .children = by_path,
    .own = own,
  };

  if (!run_grouped (&tally, households_sql, NULL, NULL, 0, households_row, error) ||
      !run_grouped (&tally, designated_sql, today, NULL, 0, designated_row, error) ||
      !run_grouped (&tally, inspections_sql, from, until, 0, inspections_row, error) ||
      !run_grouped (&tally, activities_sql, from, until, 0, activities_row, error) ||
      !run_grouped (&tally, service_sql, from, until, 0, service_row, error) ||
      !run_grouped (&tally, awards_sql, NULL, NULL, year, awards_row, error) ||
      !run_grouped (&tally, award_families_sql, NULL, NULL, year, award_families_row, error) ||
      !run_grouped (&tally, not_approved_sql, from, until, 0, not_approved_row, error))
    return NULL;

  figures_finish (total);
  for (guint i = 0; i < child_figures->len; i++)
    {
      figures_finish (child_figures->pdata[i]);
      json_array_add_object_element (child_entries,
                                     unit_entry (json_array_get_object_element (children, i),
                                                 child_figures->pdata[i]));
    }

  out = json_object_new ();
  json_object_set_int_member (out, "year", year);
  json_object_set_object_member (out, "unit", unit_entry (unit, total));
  json_object_set_array_member (out, "children", g_steal_pointer (&child_entries));
  /* A village has no rows below it: its own records are its total. */
  if (tally.has_own && json_array_get_length (children) > 0)
    {
      figures_finish (own);
      json_object_set_object_member (out, "own", unit_entry (unit, own));
    }
  return out;
}

/* ---- a volunteer's balance ---------------------------------------------- */

/* What jg_ledger_balance() does not split out: approved service before
 * reversals, the part of it an approved reversal took back, and service
 * still awaiting approval. */
static const char balance_extra_sql[] =
  "SELECT "
  " (SELECT coalesce (sum (minutes), 0) FROM service_entry"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND review_state = 'approved'),"
  " (SELECT coalesce (sum (minutes), 0) FROM service_entry"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND review_state = 'approved'"
  "     AND id IN (" JG_LEDGER_REVERSED_SQL ("service_entry") ")),"
  " (SELECT coalesce (sum (minutes), 0) FROM service_entry"
  "   WHERE volunteer = ?1 AND reverses IS NULL AND deleted IS NOT 1"
  "     AND review_state = 'submitted'"
  "     AND id NOT IN (" JG_LEDGER_REVERSED_SQL ("service_entry") "))";

JsonObject *
jg_stats_volunteer_balance (JgStore     *store,
                            const char  *volunteer_id,
                            GError     **error)
{
  g_autoptr(JsonObject) volunteer = NULL;
  g_autoptr(JgStmt) stmt = NULL;
  JgLedgerBalance balance;
  JsonObject *out;

  g_return_val_if_fail (JG_IS_STORE (store), NULL);
  g_return_val_if_fail (volunteer_id != NULL, NULL);

  volunteer = jg_store_get (store, "volunteer", volunteer_id, error);
  if (volunteer == NULL)
    return NULL;
  if (!jg_ledger_balance (store, volunteer_id, &balance, error))
    return NULL;

  stmt = jg_store_prepare (store, balance_extra_sql, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, volunteer_id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      jg_store_sqlite_error (store, error);
      return NULL;
    }

  out = json_object_new ();
  json_object_set_string_member (out, "volunteer", volunteer_id);
  if (json_object_has_member (volunteer, "name"))
    json_object_set_member (out, "name", json_node_copy (json_object_get_member (volunteer, "name")));
  json_object_set_int_member (out, "approved", sqlite3_column_int64 (stmt, 0));
  json_object_set_int_member (out, "pending", sqlite3_column_int64 (stmt, 2));
  json_object_set_int_member (out, "reversed", sqlite3_column_int64 (stmt, 1));
  json_object_set_int_member (out, "redeemed", balance.redeemed_minutes);
  json_object_set_int_member (out, "pending_redemptions", balance.pending_minutes);
  json_object_set_int_member (out, "available", balance.available_minutes);
  json_object_set_int_member (out, "lifetime_approved_minutes", balance.lifetime_approved_minutes);
  json_object_set_double_member (out, "lifetime_approved_hours",
                                 one_decimal ((double) balance.lifetime_approved_minutes / 60.0));
  json_object_set_int_member (out, "star_level", jg_ledger_star_level (balance.lifetime_approved_minutes));
  return out;
}
