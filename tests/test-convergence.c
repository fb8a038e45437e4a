/* test-convergence.c: the merge's properties, tested on real stores
 *
 * The acceptance criterion of the Foundation: replicas that edit offline and
 * exchange change bundles in any order end with identical state, a hard
 * conflict is recorded for every concurrent edit of the same field, and a
 * bundle applied twice changes nothing.
 *
 * The replicas run on a simulated wall clock (each with its own skew), so a
 * failing seed replays the same stamps; print the seed with --verbose and
 * replay it with JG_TEST_SEED=N.  Record ids keep random bits, so a replay
 * follows the same operations but not byte for byte the same ids.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "jg-common.h"

#define N_ORG_UNITS G_N_ELEMENTS (org_units)

/* Real village codes of 大田街道, 临海市 (data/org-units). */
static const char * const org_units[] = { "331082004240", "331082004201", "331082004205", "331082004207" };
static const char * const surnames[] = {
  "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
  "徐", "孙", "朱", "胡", "郭", "何", "林", "罗", "郑", "应",
};
static const char * const given_names[] = {
  "秀英", "桂英", "秀兰", "玉兰", "丽娟", "海燕", "美华", "雪梅", "春花", "红霞",
  "晓丽", "慧敏", "建国", "国强", "志明", "永福", "文军", "伟明", "金花", "素芬",
};
static const char * const villages[] = { "刘村", "大田桥村", "横街村", "双山村" };
static const char * const tags[] = { "留守妇女", "留守儿童", "低保", "独居老人", "残疾", "单亲家庭" };
static const char * const titles[] = {
  "三八妇女节“巾帼心向党”主题宣讲", "家庭教育公益讲座", "巾帼志愿服务进社区",
  "关爱留守儿童暑期慰问", "反家庭暴力法律知识宣传", "美丽庭院创建培训",
  "巾帼广场舞展演", "农村妇女电商技能培训",
};
static const char * const categories[] = {
  "outreach_talk", "training", "volunteer_service", "care_visit",
  "rights_protection", "family_education", "culture_sports", "other",
};
static const char * const locations[] = { "刘村文化礼堂", "大田街道妇女之家", "横街村党群服务中心", "双山村新时代文明实践站" };
static const char * const organizers[] = { "大田街道妇联", "刘村妇联", "横街村妇联", "临海市妇联" };
static const char * const partners[] = { "街道司法所", "大田卫生院", "街道团工委", "县关工委", "爱心企业" };
static const char * const teams[] = { "刘村巾帼志愿服务队", "大田街道巾帼志愿者协会", "横街村妈妈服务队" };
static const char * const skills[] = { "心理疏导", "法律咨询", "家政服务", "文艺表演", "助老服务", "医疗护理" };

/* Fields the generator edits.  Fields that rules may tie to another field
 * (publicity_consent/consent_at, end_at after start_at, participants_women
 * within participants) are left out: concurrent edits of the two halves can
 * merge into a pair a local write would refuse, and the next local edit of
 * that record would then fail for a reason that is not the merge's. */
static const char * const household_edit[] = { "head_name", "address", "member_count", "phone", "tags", NULL };
static const char * const activity_edit[] = {
  "title", "category", "start_at", "location", "organizer", "partners",
  "participants", "beneficiaries", "funds_yuan", "summary", NULL,
};
static const char * const volunteer_edit[] = {
  "name", "gender", "birth_year", "phone", "team", "skills", "joined_at", "active", NULL,
};
static const char * const sim_entities[] = { "household", "activity", "volunteer" };

/* ---- the simulation ---------------------------------------------------- */

typedef struct _Sim Sim;

typedef struct
{
  Sim    *sim;
  gint64  skew_ms;
} Clock;

typedef struct
{
  char *entity;
  char *id;
} Rec;

/* What one round's changes did to one field of one record. */
typedef struct
{
  GHashTable *by_replica;   /* replica index -> canonical value */
} FieldEdits;

struct _Sim
{
  GRand       *rand;
  guint32      seed;
  char        *dir;
  guint        n;
  JgStore    **stores;
  Clock       *clocks;
  gboolean    *online;
  gint64      *seen;          /* seen[i * n + j]: last seq of store i that j imported */
  gint64       now_ms;
  GPtrArray   *records;       /* Rec, in order of creation */
  GHashTable  *fresh;         /* ids created this round */
  GHashTable  *round;         /* "record/field" -> FieldEdits */
  GHashTable  *expected;      /* "record/field" -> GHashTable of values (a set) */
  guint        n_edits;
  guint        n_creates;
  guint        n_deletes;
};

static void
rec_free (Rec *rec)
{
  g_free (rec->entity);
  g_free (rec->id);
  g_free (rec);
}

static void
field_edits_free (FieldEdits *fe)
{
  g_hash_table_unref (fe->by_replica);
  g_free (fe);
}

static guint32
seed_base (void)
{
  const char *env = g_getenv ("JG_TEST_SEED");

  if (env != NULL && *env != '\0')
    return (guint32) g_ascii_strtoull (env, NULL, 10);
  return g_random_int ();
}

static gint64
sim_clock (gpointer user_data)
{
  Clock *clock = user_data;

  return clock->sim->now_ms + clock->skew_ms;
}

static void
sim_advance (Sim    *sim,
             gint64  max_ms)
{
  sim->now_ms += g_rand_int_range (sim->rand, 0, (gint32) max_ms + 1);
}

static Sim *
sim_new (guint   n,
         guint32 seed)
{
  Sim *sim = g_new0 (Sim, 1);
  g_autoptr(GError) error = NULL;

  sim->seed = seed;
  sim->rand = g_rand_new_with_seed (seed);
  sim->dir = g_dir_make_tmp ("jg-convergence-XXXXXX", &error);
  g_assert_no_error (error);
  sim->n = n;
  sim->stores = g_new0 (JgStore *, n);
  sim->clocks = g_new0 (Clock, n);
  sim->online = g_new0 (gboolean, n);
  sim->seen = g_new0 (gint64, (gsize) n * n);
  /* 2024-03-08 08:00 China time: the day the village is busiest. */
  sim->now_ms = G_GINT64_CONSTANT (1709856000000);
  sim->records = g_ptr_array_new_with_free_func ((GDestroyNotify) rec_free);
  sim->fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->round = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) field_edits_free);
  sim->expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("replica-%u.db", i);
      g_autofree char *path = g_build_filename (sim->dir, name, NULL);
      g_autofree char *user = g_strdup_printf ("village-staff-%u", i);

      sim->stores[i] = jg_store_open (path, JG_STORE_CREATE, &error);
      g_assert_no_error (error);
      g_assert_nonnull (sim->stores[i]);
      jg_store_set_username (sim->stores[i], user, &error);
      g_assert_no_error (error);
      /* Village laptops disagree about the time by up to a minute and a half
       * (less than the 5 minutes a receiver accepts ahead of its clock). */
      sim->clocks[i].sim = sim;
      sim->clocks[i].skew_ms = g_rand_int_range (sim->rand, -90000, 90001);
      jg_hlc_set_wall_clock (jg_store_get_hlc (sim->stores[i]), sim_clock, &sim->clocks[i]);
      sim->online[i] = TRUE;
    }
  return sim;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
sim_free (Sim *sim)
{
  for (guint i = 0; i < sim->n; i++)
    g_clear_object (&sim->stores[i]);
  remove_tree (sim->dir);
  g_free (sim->dir);
  g_free (sim->stores);
  g_free (sim->clocks);
  g_free (sim->online);
  g_free (sim->seen);
  g_ptr_array_unref (sim->records);
  g_hash_table_unref (sim->fresh);
  g_hash_table_unref (sim->round);
  g_hash_table_unref (sim->expected);
  g_rand_free (sim->rand);
  g_free (sim);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sim, sim_free)

static JgStore *
open_fresh_store (const char *dir,
                  const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  JgStore *store = jg_store_open (path, JG_STORE_CREATE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

/* ---- realistic values ------------------------------------------------- */

#define PICK(sim, list) ((list)[g_rand_int_range ((sim)->rand, 0, G_N_ELEMENTS (list))])

static JsonNode *
string_node (const char *s)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, s);
  return node;
}

static JsonNode *
take_string_node (char *s)
{
  JsonNode *node = string_node (s);

  g_free (s);
  return node;
}

static JsonNode *
int_node (gint64 v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, v);
  return node;
}

static char *
gen_person (Sim *sim)
{
  return g_strconcat (PICK (sim, surnames), PICK (sim, given_names), NULL);
}

static char *
gen_phone (Sim *sim)
{
  static const char * const prefixes[] = { "138", "139", "135", "150", "158", "187", "189", "177" };

  return g_strdup_printf ("%s%08d", PICK (sim, prefixes), g_rand_int_range (sim->rand, 0, 100000000));
}

static char *
gen_date (Sim *sim,
          int  year_from,
          int  year_to)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_rand_int_range (sim->rand, year_from, year_to + 1),
                          g_rand_int_range (sim->rand, 1, 13), g_rand_int_range (sim->rand, 1, 29));
}

static char *
gen_datetime (Sim *sim)
{
  g_autofree char *date = gen_date (sim, 2023, 2024);

  return g_strdup_printf ("%sT%02d:%s", date, g_rand_int_range (sim->rand, 8, 20),
                          g_rand_boolean (sim->rand) ? "00" : "30");
}

static JsonNode *
gen_value (Sim        *sim,
           const char *field)
{
  if (strcmp (field, "head_name") == 0 || strcmp (field, "name") == 0)
    return take_string_node (gen_person (sim));
  if (strcmp (field, "address") == 0)
    return take_string_node (g_strdup_printf ("临海市大田街道%s%d组%d号", PICK (sim, villages),
                                              g_rand_int_range (sim->rand, 1, 9),
                                              g_rand_int_range (sim->rand, 1, 200)));
  if (strcmp (field, "member_count") == 0)
    return int_node (g_rand_int_range (sim->rand, 1, 9));
  if (strcmp (field, "phone") == 0)
    return take_string_node (gen_phone (sim));
  if (strcmp (field, "tags") == 0)
    {
      JsonArray *array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      guint n = g_rand_int_range (sim->rand, 0, 3);
      guint first = g_rand_int_range (sim->rand, 0, G_N_ELEMENTS (tags));

      for (guint i = 0; i < n; i++)
        json_array_add_string_element (array, tags[(first + i) % G_N_ELEMENTS (tags)]);
      json_node_take_array (node, array);
      return node;
    }
  if (strcmp (field, "title") == 0)
    return take_string_node (g_strdup_printf ("%s（第%d期）", PICK (sim, titles),
                                              g_rand_int_range (sim->rand, 1, 13)));
  if (strcmp (field, "category") == 0)
    return string_node (PICK (sim, categories));
  if (strcmp (field, "start_at") == 0)
    return take_string_node (gen_datetime (sim));
  if (strcmp (field, "location") == 0)
    return string_node (PICK (sim, locations));
  if (strcmp (field, "organizer") == 0)
    return string_node (PICK (sim, organizers));
  if (strcmp (field, "partners") == 0)
    return string_node (PICK (sim, partners));
  if (strcmp (field, "participants") == 0)
    return int_node (g_rand_int_range (sim->rand, 10, 301));
  if (strcmp (field, "beneficiaries") == 0)
    return int_node (g_rand_int_range (sim->rand, 10, 801));
  if (strcmp (field, "funds_yuan") == 0)
    {
      JsonNode *node = json_node_new (JSON_NODE_VALUE);

      /* Whole and half yuan: exact in binary, so no rounding questions. */
      json_node_set_double (node, g_rand_int_range (sim->rand, 0, 40001) / 2.0);
      return node;
    }
  if (strcmp (field, "summary") == 0)
    return take_string_node (g_strdup_printf ("开展活动1场，参与妇女%d人，受益%d人次，发放慰问金%d元。",
                                              g_rand_int_range (sim->rand, 10, 200),
                                              g_rand_int_range (sim->rand, 10, 800),
                                              g_rand_int_range (sim->rand, 0, 200) * 100));
  if (strcmp (field, "gender") == 0)
    return string_node (g_rand_int_range (sim->rand, 0, 5) ? "female" : "male");
  if (strcmp (field, "birth_year") == 0)
    return int_node (g_rand_int_range (sim->rand, 1955, 2005));
  if (strcmp (field, "team") == 0)
    return string_node (PICK (sim, teams));
  if (strcmp (field, "skills") == 0)
    return string_node (PICK (sim, skills));
  if (strcmp (field, "joined_at") == 0)
    return take_string_node (gen_date (sim, 2015, 2023));
  if (strcmp (field, "active") == 0)
    {
      JsonNode *node = json_node_new (JSON_NODE_VALUE);

      json_node_set_boolean (node, g_rand_boolean (sim->rand));
      return node;
    }
  g_assert_not_reached ();
}

static JsonObject *
gen_record (Sim        *sim,
            const char *entity)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "org_unit", PICK (sim, org_units));
  if (strcmp (entity, "household") == 0)
    {
      json_object_set_member (o, "head_name", gen_value (sim, "head_name"));
      json_object_set_member (o, "address", gen_value (sim, "address"));
      json_object_set_member (o, "member_count", gen_value (sim, "member_count"));
      if (g_rand_boolean (sim->rand))
        json_object_set_member (o, "phone", gen_value (sim, "phone"));
    }
  else if (strcmp (entity, "activity") == 0)
    {
      json_object_set_member (o, "title", gen_value (sim, "title"));
      json_object_set_member (o, "category", gen_value (sim, "category"));
      json_object_set_member (o, "start_at", gen_value (sim, "start_at"));
      json_object_set_member (o, "location", gen_value (sim, "location"));
      json_object_set_member (o, "participants", gen_value (sim, "participants"));
    }
  else
    {
      json_object_set_member (o, "name", gen_value (sim, "name"));
      json_object_set_string_member (o, "gender", "female");
      json_object_set_member (o, "birth_year", gen_value (sim, "birth_year"));
      json_object_set_member (o, "team", gen_value (sim, "team"));
    }
  return o;
}

static const char * const *
editable_fields (const char *entity)
{
  if (strcmp (entity, "household") == 0)
    return household_edit;
  if (strcmp (entity, "activity") == 0)
    return activity_edit;
  return volunteer_edit;
}

/* ---- what the replicas did ------------------------------------------- */

static char *
edit_key (const char *record,
          const char *field)
{
  return g_strconcat (record, "/", field, NULL);
}

/* Registers the changes replica i just made (everything after seq "from"). */
static void
harvest (Sim    *sim,
         guint   i,
         gint64  from)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) changes = jg_store_changes_since (sim->stores[i], from, 0, NULL, &error);
  const char *me = jg_store_get_replica_id (sim->stores[i]);

  g_assert_no_error (error);
  for (guint c = 0; c < changes->len; c++)
    {
      const JgChange *change = changes->pdata[c];
      g_autofree char *key = edit_key (change->record, change->field);
      FieldEdits *fe;

      g_assert_cmpstr (change->replica, ==, me);
      fe = g_hash_table_lookup (sim->round, key);
      if (fe == NULL)
        {
          fe = g_new0 (FieldEdits, 1);
          fe->by_replica = g_hash_table_new_full (NULL, NULL, NULL, g_free);
          g_hash_table_insert (sim->round, g_strdup (key), fe);
        }
      /* The generator edits a field at most once per replica and round. */
      g_assert_false (g_hash_table_contains (fe->by_replica, GUINT_TO_POINTER (i)));
      g_hash_table_insert (fe->by_replica, GUINT_TO_POINTER (i), g_strdup (change->value));
    }
}

/* A value for "field" that the record does not hold and that no other
 * replica wrote there this round: the model of (b) needs distinct values. */
static JsonNode *
fresh_value (Sim        *sim,
             JsonObject *current,
             const char *record,
             const char *field)
{
  g_autofree char *key = edit_key (record, field);
  FieldEdits *fe = g_hash_table_lookup (sim->round, key);

  for (int attempt = 0; attempt < 8; attempt++)
    {
      g_autoptr(JsonNode) value = gen_value (sim, field);
      g_autofree char *text = NULL;
      g_autofree char *cur = NULL;
      gboolean taken = FALSE;
      JsonNode *cur_node = json_object_get_member (current, field);

      text = jg_json_canonical (value);
      cur = cur_node ? jg_json_canonical (cur_node) : g_strdup ("null");
      if (strcmp (text, cur) == 0)
        continue;
      if (fe != NULL)
        {
          GHashTableIter iter;
          gpointer v;

          g_hash_table_iter_init (&iter, fe->by_replica);
          while (g_hash_table_iter_next (&iter, NULL, &v))
            if (strcmp (v, text) == 0)
              taken = TRUE;
        }
      if (!taken)
        return g_steal_pointer (&value);
    }
  return NULL;
}

static gboolean
edited_this_round (Sim        *sim,
                   guint       i,
                   const char *record,
                   const char *field)
{
  g_autofree char *key = edit_key (record, field);
  FieldEdits *fe = g_hash_table_lookup (sim->round, key);

  return fe != NULL && g_hash_table_contains (fe->by_replica, GUINT_TO_POINTER (i));
}

/* A record of "entity" that replica i holds, not deleted, not new. */
static JsonObject *
pick_record (Sim         *sim,
             guint        i,
             const char  *entity,
             const Rec  **rec_out)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new ();

  for (guint r = 0; r < sim->records->len; r++)
    {
      const Rec *rec = sim->records->pdata[r];

      if (strcmp (rec->entity, entity) == 0 && !g_hash_table_contains (sim->fresh, rec->id))
        g_ptr_array_add (candidates, (gpointer) rec);
    }

  for (int attempt = 0; attempt < 6 && candidates->len > 0; attempt++)
    {
      const Rec *rec = candidates->pdata[g_rand_int_range (sim->rand, 0, (gint32) candidates->len)];
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) o = jg_store_get (sim->stores[i], rec->entity, rec->id, &error);

      if (o == NULL)
        {
          /* Not here yet: it has not reached this replica. */
          g_assert_error (error, JG_ERROR, JG_ERROR_NOT_FOUND);
          continue;
        }
      if (json_object_get_boolean_member (o, "deleted"))
        continue;
      /* A record known only from some of its changes (its creation has not
       * arrived) is not one a user could open. */
      if (json_object_get_null_member (o, "org_unit"))
        continue;
      *rec_out = rec;
      return g_steal_pointer (&o);
    }
  return NULL;
}

static void
op_create (Sim  *sim,
           guint i)
{
  const char *entity = PICK (sim, sim_entities);
  g_autoptr(JsonObject) fields = gen_record (sim, entity);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  Rec *rec;

  id = jg_store_put (sim->stores[i], entity, fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  rec = g_new0 (Rec, 1);
  rec->entity = g_strdup (entity);
  rec->id = g_strdup (id);
  g_ptr_array_add (sim->records, rec);
  g_hash_table_add (sim->fresh, g_strdup (id));
  sim->n_creates++;
}

static void
op_edit (Sim  *sim,
         guint i)
{
  const char *entity = PICK (sim, sim_entities);
  const char * const *fields = editable_fields (entity);
  const Rec *rec = NULL;
  g_autoptr(JsonObject) current = pick_record (sim, i, entity, &rec);
  g_autoptr(JsonObject) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint n_fields = g_strv_length ((char **) fields);
  guint n = g_rand_int_range (sim->rand, 1, 4);
  guint set = 0;

  if (current == NULL)
    return;
  edit = json_object_new ();
  json_object_set_string_member (edit, "id", rec->id);
  for (guint k = 0; k < n; k++)
    {
      const char *field = fields[g_rand_int_range (sim->rand, 0, (gint32) n_fields)];
      JsonNode *value;

      if (json_object_has_member (edit, field) || edited_this_round (sim, i, rec->id, field))
        continue;
      value = fresh_value (sim, current, rec->id, field);
      if (value == NULL)
        continue;
      json_object_set_member (edit, field, value);
      set++;
    }
  if (set == 0)
    return;

  id = jg_store_put (sim->stores[i], entity, edit, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (id, ==, rec->id);
  sim->n_edits++;
}

static void
op_delete (Sim  *sim,
           guint i)
{
  const char *entity = PICK (sim, sim_entities);
  const Rec *rec = NULL;
  g_autoptr(JsonObject) current = pick_record (sim, i, entity, &rec);
  g_autoptr(GError) error = NULL;

  if (current == NULL || edited_this_round (sim, i, rec->id, "deleted"))
    return;
  jg_store_delete (sim->stores[i], entity, rec->id, &error);
  g_assert_no_error (error);
  sim->n_deletes++;
}

/* Replica i works offline for a while: a few creates, edits and deletes. */
static void
sim_work (Sim  *sim,
          guint i,
          guint max_ops)
{
  guint n_ops = g_rand_int_range (sim->rand, 1, (gint32) max_ops + 1);

  for (guint k = 0; k < n_ops; k++)
    {
      gint64 from = jg_store_get_last_seq (sim->stores[i]);
      int dice = g_rand_int_range (sim->rand, 0, 100);

      sim_advance (sim, 40);
      if (dice < 25 || sim->records->len < 3)
        op_create (sim, i);
      else if (dice < 92)
        op_edit (sim, i);
      else
        op_delete (sim, i);
      harvest (sim, i, from);
    }
}

/* ---- exchanging bundles ------------------------------------------------ */

/* Replica j imports what replica i has: everything, or only what is new
 * since j's last import from i. */
static void
sim_send (Sim      *sim,
          guint     i,
          guint     j,
          gboolean  incremental)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  gint64 since = incremental ? sim->seen[i * sim->n + j] : 0;
  gint64 last_seq = -1;
  guint n_changes;
  JgApplyCounts counts = { 0 };

  bundle = jg_store_export_bundle (sim->stores[i], since, &error);
  g_assert_no_error (error);
  g_assert_true (jg_json_get_int (json_node_get_object (bundle), "last_seq", &last_seq));
  g_assert_cmpint (last_seq, >=, since);
  n_changes = json_array_get_length (json_object_get_array_member (json_node_get_object (bundle), "changes"));

  sim_advance (sim, 20);
  jg_store_import_bundle (sim->stores[j], bundle, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.accepted + counts.duplicates, ==, n_changes);
  if (incremental && since > 0)
    g_assert_cmpint (last_seq - since, >=, n_changes);
  sim->seen[i * sim->n + j] = MAX (sim->seen[i * sim->n + j], last_seq);
}

/* Every replica imports every other one's bundle, pairs in random order. */
static void
sim_exchange_all (Sim     *sim,
                  int      mode)   /* 0: since 0, 1: incremental, 2: either */
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint i = 0; i < sim->n; i++)
    for (guint j = 0; j < sim->n; j++)
      if (i != j)
        {
          guint p = i * sim->n + j;

          g_array_append_val (pairs, p);
        }
  for (guint k = pairs->len; k > 1; k--)
    {
      guint r = g_rand_int_range (sim->rand, 0, (gint32) k);
      guint t = g_array_index (pairs, guint, k - 1);

      g_array_index (pairs, guint, k - 1) = g_array_index (pairs, guint, r);
      g_array_index (pairs, guint, r) = t;
    }
  for (guint k = 0; k < pairs->len; k++)
    {
      guint p = g_array_index (pairs, guint, k);
      gboolean incremental = mode == 1 || (mode == 2 && g_rand_boolean (sim->rand));

      sim_send (sim, p / sim->n, p % sim->n, incremental);
    }
}

/* ---- comparing stores --------------------------------------------------- */

/* Every record of every type, tombstones included, as canonical text. */
static char *
state_text (JgStore *store)
{
  GString *out = g_string_new (NULL);
  guint n;
  const JgEntityDef * const *entities = jg_entity_all (&n);
  JgListQuery query = { .include_deleted = TRUE };

  for (guint e = 0; e < n; e++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) list = jg_store_list (store, entities[e]->name, &query, &error);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      g_assert_no_error (error);
      node = json_node_init_array (json_node_alloc (), list);
      text = jg_json_canonical (node);
      g_string_append_printf (out, "%s: %s\n", entities[e]->name, text);
    }
  return g_string_free (out, FALSE);
}

/* The conflicts of a store (kind NULL: all kinds), without "detected_at",
 * the one member that is local by nature.
 *
 * With "loser_only", a hard conflict is shown without its first side.  A
 * hard conflict is named after the version that lost; its first side is the
 * version that version met, which depends on the order of arrival when
 * three or more replicas edit one field (in one store the loser met the
 * version that won in the end, in another an intermediate one).  What every
 * store must agree on is which versions lost, and the settlement. */
static char *
conflicts_text (JgStore    *store,
                const char *kind,
                gboolean    include_resolved,
                gboolean    loser_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = jg_store_list_conflicts (store, include_resolved, &error);
  GString *out = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint k = 0; k < json_array_get_length (list); k++)
    {
      JsonObject *o = json_array_get_object_element (list, k);
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (kind && g_strcmp0 (json_object_get_string_member (o, "kind"), kind) != 0)
        continue;
      json_object_remove_member (o, "detected_at");
      if (loser_only && strcmp (json_object_get_string_member (o, "kind"), "hard") == 0)
        json_array_remove_element (json_object_get_array_member (o, "values"), 0);
      node = json_node_init_object (json_node_alloc (), o);
      text = jg_json_canonical (node);
      g_string_append_printf (out, "%s\n", text);
    }
  return g_string_free (out, FALSE);
}

/* Compares line by line, so that a failure shows the lines that differ
 * rather than two pages of JSON. */
static void
assert_same_lines (const char *a,
                   const char *b,
                   const char *what,
                   guint       i)
{
  g_auto(GStrv) la = g_strsplit (a, "\n", -1);
  g_auto(GStrv) lb = g_strsplit (b, "\n", -1);
  guint n = MIN (g_strv_length (la), g_strv_length (lb));

  for (guint k = 0; k < n; k++)
    if (strcmp (la[k], lb[k]) != 0)
      {
        g_test_message ("%s of store %u differs from store 0 at line %u", what, i, k + 1);
        g_assert_cmpstr (lb[k], ==, la[k]);
      }
  g_assert_cmpuint (g_strv_length (lb), ==, g_strv_length (la));
}

static void
assert_same_state (JgStore **stores,
                   guint     n)
{
  g_autofree char *first = state_text (stores[0]);

  g_assert_cmpuint (strlen (first), >, 0);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *other = state_text (stores[i]);

      assert_same_lines (first, other, "the records", i);
    }
}

static void
assert_same_conflicts (JgStore    **stores,
                       guint        n,
                       const char  *kind,
                       gboolean     include_resolved,
                       gboolean     loser_only)
{
  g_autofree char *first = conflicts_text (stores[0], kind, include_resolved, loser_only);

  for (guint i = 1; i < n; i++)
    {
      g_autofree char *other = conflicts_text (stores[i], kind, include_resolved, loser_only);

      assert_same_lines (first, other, "the conflicts", i);
    }
}

/* ---- the model of conflicts ------------------------------------------ */

/* After a round ended with a full exchange: every field that two replicas
 * set to different values in that round must show a hard conflict. */
static void
sim_close_round (Sim *sim)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, sim->round);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      FieldEdits *fe = value;
      const char *slash = strchr (key, '/');
      g_autofree char *record = g_strndup (key, slash - (const char *) key);
      GHashTable *values;
      GHashTableIter vi;
      gpointer v;

      if (strcmp (slash + 1, "deleted") == 0 || g_hash_table_contains (sim->fresh, record))
        continue;
      if (g_hash_table_size (fe->by_replica) < 2)
        continue;

      values = g_hash_table_lookup (sim->expected, key);
      if (values == NULL)
        {
          values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (sim->expected, g_strdup (key), values);
        }
      g_hash_table_iter_init (&vi, fe->by_replica);
      while (g_hash_table_iter_next (&vi, NULL, &v))
        g_hash_table_add (values, g_strdup (v));
    }
  g_hash_table_remove_all (sim->round);
  g_hash_table_remove_all (sim->fresh);
}

/* In store i: a hard conflict for each expected field, and no hard conflict
 * that the model does not explain (between values written in one round). */
static void
assert_conflicts_match_model (Sim  *sim,
                              guint i)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) list = jg_store_list_conflicts (sim->stores[i], TRUE, &error);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  g_assert_no_error (error);
  for (guint k = 0; k < json_array_get_length (list); k++)
    {
      JsonObject *o = json_array_get_object_element (list, k);
      JsonArray *values = json_object_get_array_member (o, "values");
      g_autofree char *ekey = NULL;
      GHashTable *allowed;

      g_assert_cmpuint (json_array_get_length (values), ==, 2);
      if (strcmp (json_object_get_string_member (o, "kind"), "hard") != 0)
        continue;
      ekey = edit_key (json_object_get_string_member (o, "record"),
                       json_object_get_string_member (o, "field"));
      allowed = g_hash_table_lookup (sim->expected, ekey);
      if (allowed == NULL)
        g_error ("seed %u: store %u has a hard conflict on %s that no concurrent edit explains",
                 sim->seed, i, ekey);
      for (guint s = 0; s < 2; s++)
        {
          JsonObject *side = json_array_get_object_element (values, s);
          g_autofree char *text = jg_json_canonical (json_object_get_member (side, "value"));

          g_assert_cmpstr (json_object_get_string_member (side, "field"), ==,
                           json_object_get_string_member (o, "field"));
          if (!g_hash_table_contains (allowed, text))
            g_error ("seed %u: store %u: conflict on %s shows %s, which no replica wrote there concurrently",
                     sim->seed, i, ekey, text);
        }
      {
        g_autofree char *a = jg_json_canonical (json_object_get_member (
                               json_array_get_object_element (values, 0), "value"));
        g_autofree char *b = jg_json_canonical (json_object_get_member (
                               json_array_get_object_element (values, 1), "value"));

        g_assert_cmpstr (a, !=, b);
      }
      g_hash_table_add (found, g_steal_pointer (&ekey));
    }

  g_hash_table_iter_init (&iter, sim->expected);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (found, key))
      g_error ("seed %u: store %u has no hard conflict for the concurrent edits of %s",
               sim->seed, i, (const char *) key);
}

/* ---- (a) and (b): rounds of offline work and full exchange ---------- */

static void
run_rounds (guint32 seed,
            guint   n_replicas,
            guint   n_rounds,
            int     mode,
            guint   max_ops)
{
  g_autoptr(Sim) sim = sim_new (n_replicas, seed);
  guint n_hard = 0;

  g_test_message ("seed %u: %u replicas, %u rounds (replay with JG_TEST_SEED=%u)",
                  seed, n_replicas, n_rounds, seed);

  for (guint round = 0; round < n_rounds; round++)
    {
      for (guint i = 0; i < sim->n; i++)
        sim_work (sim, i, max_ops);
      sim_advance (sim, 60000);
      sim_exchange_all (sim, mode);
      sim_close_round (sim);
      assert_same_state (sim->stores, sim->n);
    }

  assert_same_conflicts (sim->stores, sim->n, "hard", TRUE, TRUE);
  for (guint i = 0; i < sim->n; i++)
    assert_conflicts_match_model (sim, i);

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonArray) list = jg_store_list_conflicts (sim->stores[0], TRUE, &error);

    for (guint k = 0; k < json_array_get_length (list); k++)
      n_hard += strcmp (json_object_get_string_member (json_array_get_object_element (list, k), "kind"),
                        "hard") == 0;
  }
  g_test_message ("seed %u: %u creates, %u edits, %u deletes; %u fields edited concurrently, %u hard conflicts",
                  seed, sim->n_creates, sim->n_edits, sim->n_deletes,
                  g_hash_table_size (sim->expected), n_hard);
  /* The test is worth little if the dice never made two replicas meet. */
  g_assert_cmpuint (sim->n_edits, >, n_rounds);
}

static void
test_rounds_full (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 3; k++)
    run_rounds (base + k, 3, 12, 0, 6);
}

static void
test_rounds_incremental (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 2; k++)
    run_rounds (base + k, 4, 12, 1, 6);
}

static void
test_rounds_mixed (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 2; k++)
    run_rounds (base + k, 5, 10, 2, 5);
}

/* Few records and many edits: most rounds make the same field meet. */
static void
test_conflicts_model (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 3; k++)
    {
      g_autoptr(Sim) sim = sim_new (4, base + k);

      g_test_message ("seed %u (replay with JG_TEST_SEED=%u)", base + k, base + k);
      /* Round 0: a handful of records, known to all. */
      for (guint i = 0; i < sim->n; i++)
        {
          gint64 from = jg_store_get_last_seq (sim->stores[i]);

          op_create (sim, i);
          harvest (sim, i, from);
        }
      sim_exchange_all (sim, 2);
      sim_close_round (sim);

      for (guint round = 0; round < 10; round++)
        {
          for (guint i = 0; i < sim->n; i++)
            for (guint e = 0; e < 4; e++)
              {
                gint64 from = jg_store_get_last_seq (sim->stores[i]);

                sim_advance (sim, 5);
                op_edit (sim, i);
                harvest (sim, i, from);
              }
          sim_advance (sim, 30000);
          sim_exchange_all (sim, 2);
          sim_close_round (sim);
        }

      assert_same_state (sim->stores, sim->n);
      assert_same_conflicts (sim->stores, sim->n, "hard", TRUE, TRUE);
      for (guint i = 0; i < sim->n; i++)
        assert_conflicts_match_model (sim, i);
      g_assert_cmpuint (g_hash_table_size (sim->expected), >, 0);
    }
}

/* Three replicas set one field to three values, fully concurrently; every
 * import order gives the same value and the same two conflicts. */
static void
test_conflicts_three_way (void)
{
  static const guint orders[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
  g_autoptr(Sim) sim = sim_new (3, seed_base ());
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *expected_state = NULL;
  g_autofree char *expected_conflicts = NULL;
  const char * const names[] = { "王秀英", "李桂兰", "张海燕", NULL };

  json_object_set_string_member (record, "org_unit", "331082004240");
  json_object_set_string_member (record, "head_name", "刘美华");
  id = jg_store_put (sim->stores[0], "household", record, &error);
  g_assert_no_error (error);
  sim_exchange_all (sim, 0);
  sim_advance (sim, 1000);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) edit = json_object_new ();
      g_autofree char *got = NULL;

      json_object_set_string_member (edit, "id", id);
      json_object_set_string_member (edit, "head_name", names[i]);
      got = jg_store_put (sim->stores[i], "household", edit, &error);
      g_assert_no_error (error);
      g_ptr_array_add (bundles, jg_store_export_bundle (sim->stores[i], 0, &error));
      g_assert_no_error (error);
    }

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autofree char *name = g_strdup_printf ("order-%u.db", o);
      g_autoptr(JgStore) store = open_fresh_store (sim->dir, name);
      g_autoptr(JsonArray) conflicts = NULL;
      g_autoptr(JsonObject) got = NULL;
      g_autofree char *state = NULL;
      g_autofree char *text = NULL;
      guint n_hard = 0;

      for (guint k = 0; k < 3; k++)
        {
          JgApplyCounts counts;

          jg_store_import_bundle (store, bundles->pdata[orders[o][k]], &counts, &error);
          g_assert_no_error (error);
        }
      state = state_text (store);
      text = conflicts_text (store, "hard", TRUE, TRUE);
      if (expected_state == NULL)
        {
          expected_state = g_steal_pointer (&state);
          expected_conflicts = g_steal_pointer (&text);
        }
      else
        {
          g_assert_cmpstr (state, ==, expected_state);
          g_assert_cmpstr (text, ==, expected_conflicts);
        }

      conflicts = jg_store_list_conflicts (store, TRUE, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < json_array_get_length (conflicts); k++)
        {
          JsonObject *c = json_array_get_object_element (conflicts, k);

          if (strcmp (json_object_get_string_member (c, "kind"), "hard") != 0)
            continue;
          n_hard++;
          g_assert_cmpstr (json_object_get_string_member (c, "record"), ==, id);
          g_assert_cmpstr (json_object_get_string_member (c, "field"), ==, "head_name");
          g_assert_false (json_object_get_boolean_member (c, "resolved"));
        }
      /* Every version but the winner loses once. */
      g_assert_cmpuint (n_hard, ==, 2);

      got = jg_store_get (store, "household", id, &error);
      g_assert_no_error (error);
      g_assert_true (g_strv_contains (names, json_object_get_string_member (got, "head_name")));
    }

  /* The replicas themselves agree with the fresh stores. */
  sim_exchange_all (sim, 2);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *state = state_text (sim->stores[i]);
      g_autofree char *text = conflicts_text (sim->stores[i], "hard", TRUE, TRUE);

      g_assert_cmpstr (state, ==, expected_state);
      g_assert_cmpstr (text, ==, expected_conflicts);
    }
}

/* A reviewer's later edit of the field, having seen the conflict, settles it
 * everywhere. */
static void
test_conflicts_settled (void)
{
  g_autoptr(Sim) sim = sim_new (3, seed_base ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonArray) open = NULL;
  g_autofree char *id = NULL;

  json_object_set_string_member (record, "org_unit", "331082004240");
  json_object_set_string_member (record, "title", "家庭教育公益讲座");
  json_object_set_string_member (record, "category", "family_education");
  json_object_set_string_member (record, "start_at", "2024-03-08T09:30");
  id = jg_store_put (sim->stores[0], "activity", record, &error);
  g_assert_no_error (error);
  sim_exchange_all (sim, 0);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) edit = json_object_new ();
      g_autofree char *got = NULL;

      sim_advance (sim, 500);
      json_object_set_string_member (edit, "id", id);
      json_object_set_int_member (edit, "participants", 40 + 20 * i);
      got = jg_store_put (sim->stores[i], "activity", edit, &error);
      g_assert_no_error (error);
    }
  sim_advance (sim, 60000);
  sim_exchange_all (sim, 1);
  for (guint i = 0; i < 3; i++)
    {
      open = jg_store_list_conflicts (sim->stores[i], FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (open), ==, 1);
      g_clear_pointer (&open, json_array_unref);
    }

  /* Replica 2 (the county reviewer's copy) decides. */
  {
    g_autoptr(JsonObject) edit = json_object_new ();
    g_autofree char *got = NULL;

    json_object_set_string_member (edit, "id", id);
    json_object_set_int_member (edit, "participants", 55);
    got = jg_store_put (sim->stores[2], "activity", edit, &error);
    g_assert_no_error (error);
  }
  sim_exchange_all (sim, 1);
  assert_same_state (sim->stores, sim->n);
  assert_same_conflicts (sim->stores, sim->n, NULL, TRUE, FALSE);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonArray) all = jg_store_list_conflicts (sim->stores[i], TRUE, &error);

      g_assert_no_error (error);
      open = jg_store_list_conflicts (sim->stores[i], FALSE, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (json_array_get_length (open), ==, 0);
      g_assert_cmpuint (json_array_get_length (all), ==, 1);
      g_assert_true (json_object_get_boolean_member (json_array_get_object_element (all, 0), "resolved"));
      g_clear_pointer (&open, json_array_unref);
    }
}

/* Two replicas that both saw a conflict settle it at the same time, each
 * with its own value: every store must name the same settling change. */
static void
test_conflicts_settled_twice (void)
{
  static const int counts[] = { 2, 3, 5, 6 };   /* all unlike the first 4 */
  g_autoptr(Sim) sim = sim_new (4, seed_base ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = json_object_new ();
  g_autofree char *id = NULL;

  json_object_set_string_member (record, "org_unit", "331082004240");
  json_object_set_string_member (record, "head_name", "林春花");
  json_object_set_int_member (record, "member_count", 4);
  id = jg_store_put (sim->stores[0], "household", record, &error);
  g_assert_no_error (error);
  sim_exchange_all (sim, 0);

  for (guint round = 0; round < 2; round++)
    {
      /* Round 0: replicas 0 and 1 disagree; round 1: 2 and 3 settle it. */
      for (guint k = 0; k < 2; k++)
        {
          g_autoptr(JsonObject) edit = json_object_new ();
          g_autofree char *got = NULL;

          sim_advance (sim, 300);
          json_object_set_string_member (edit, "id", id);
          json_object_set_int_member (edit, "member_count", counts[2 * round + k]);
          got = jg_store_put (sim->stores[2 * round + k], "household", edit, &error);
          g_assert_no_error (error);
        }
      sim_advance (sim, 60000);
      sim_exchange_all (sim, 2);
    }

  assert_same_state (sim->stores, sim->n);
  assert_same_conflicts (sim->stores, sim->n, "hard", TRUE, TRUE);
  for (guint i = 0; i < sim->n; i++)
    {
      g_autoptr(JsonArray) all = jg_store_list_conflicts (sim->stores[i], TRUE, &error);
      guint n_resolved = 0;

      g_assert_no_error (error);
      /* The first disagreement, settled, and the second one, open. */
      g_assert_cmpuint (json_array_get_length (all), ==, 2);
      for (guint k = 0; k < 2; k++)
        n_resolved += json_object_get_boolean_member (json_array_get_object_element (all, k), "resolved");
      g_assert_cmpuint (n_resolved, ==, 1);
    }
}

/* An edit that meets a concurrent deletion: the record stays deleted
 * everywhere and the meeting is recorded, not hidden. */
static void
test_conflicts_delete (void)
{
  g_autoptr(Sim) sim = sim_new (3, seed_base ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(JsonObject) edit = json_object_new ();
  g_autofree char *id = NULL;
  g_autofree char *got = NULL;

  json_object_set_string_member (record, "org_unit", "331082004201");
  json_object_set_string_member (record, "name", "应素芬");
  json_object_set_string_member (record, "gender", "female");
  id = jg_store_put (sim->stores[0], "volunteer", record, &error);
  g_assert_no_error (error);
  sim_exchange_all (sim, 0);

  sim_advance (sim, 1000);
  jg_store_delete (sim->stores[0], "volunteer", id, &error);
  g_assert_no_error (error);
  json_object_set_string_member (edit, "id", id);
  json_object_set_string_member (edit, "team", "大田街道巾帼志愿者协会");
  got = jg_store_put (sim->stores[1], "volunteer", edit, &error);
  g_assert_no_error (error);
  sim_advance (sim, 1000);
  sim_exchange_all (sim, 2);

  assert_same_state (sim->stores, sim->n);
  assert_same_conflicts (sim->stores, sim->n, NULL, TRUE, FALSE);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) o = jg_store_get (sim->stores[i], "volunteer", id, &error);
      g_autoptr(JsonArray) conflicts = jg_store_list_conflicts (sim->stores[i], TRUE, &error);
      guint n_delete = 0;

      g_assert_no_error (error);
      g_assert_true (json_object_get_boolean_member (o, "deleted"));
      for (guint k = 0; k < json_array_get_length (conflicts); k++)
        {
          JsonObject *c = json_array_get_object_element (conflicts, k);

          if (strcmp (json_object_get_string_member (c, "kind"), "delete") == 0)
            {
              g_assert_cmpstr (json_object_get_string_member (c, "record"), ==, id);
              n_delete++;
            }
        }
      g_assert_cmpuint (n_delete, ==, 1);
    }
}

/* ---- (c) random partial exchanges ---------------------------------------- */

static void
test_partial (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 3; k++)
    {
      g_autoptr(Sim) sim = sim_new (5, base + k);
      guint *offline_for = g_new0 (guint, sim->n);

      g_test_message ("seed %u (replay with JG_TEST_SEED=%u)", base + k, base + k);
      for (guint round = 0; round < 16; round++)
        {
          guint n_meetings;

          for (guint i = 0; i < sim->n; i++)
            {
              if (offline_for[i] > 0)
                offline_for[i]--;
              else if (g_rand_int_range (sim->rand, 0, 5) == 0)
                offline_for[i] = g_rand_int_range (sim->rand, 2, 6);
              sim->online[i] = offline_for[i] == 0;

              /* Offline-first: the work goes on without a network. */
              if (g_rand_int_range (sim->rand, 0, 3) > 0)
                sim_work (sim, i, 4);
            }

          n_meetings = g_rand_int_range (sim->rand, 0, sim->n + 1);
          for (guint m = 0; m < n_meetings; m++)
            {
              guint i = g_rand_int_range (sim->rand, 0, sim->n);
              guint j = g_rand_int_range (sim->rand, 0, sim->n);

              if (i == j || !sim->online[i] || !sim->online[j])
                continue;
              sim_send (sim, i, j, g_rand_boolean (sim->rand));
              if (g_rand_boolean (sim->rand))
                sim_send (sim, j, i, g_rand_boolean (sim->rand));
            }
          sim_advance (sim, 120000);
          /* Partial exchanges do not fit the per-round model of (b). */
          g_hash_table_remove_all (sim->round);
          g_hash_table_remove_all (sim->fresh);
        }

      /* Everybody back online, and one full exchange. */
      for (guint i = 0; i < sim->n; i++)
        sim->online[i] = TRUE;
      sim_exchange_all (sim, 2);
      assert_same_state (sim->stores, sim->n);
      g_test_message ("seed %u: %u creates, %u edits, %u deletes",
                      base + k, sim->n_creates, sim->n_edits, sim->n_deletes);
      g_free (offline_for);
    }
}

/* ---- (d) a bundle applied twice ------------------------------------- */

static char *
whole_text (JgStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = state_text (store);
  g_autofree char *conflicts = conflicts_text (store, NULL, TRUE, FALSE);
  g_autoptr(JsonNode) bundle = jg_store_export_bundle (store, 0, &error);
  g_autofree char *log = NULL;

  g_assert_no_error (error);
  log = jg_json_canonical (bundle);
  return g_strconcat (state, conflicts, log, NULL);
}

static void
test_idempotent_twice (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 3; k++)
    {
      g_autoptr(Sim) sim = sim_new (3, base + k);

      g_test_message ("seed %u (replay with JG_TEST_SEED=%u)", base + k, base + k);
      for (guint round = 0; round < 4; round++)
        {
          for (guint i = 0; i < sim->n; i++)
            sim_work (sim, i, 6);
          sim_advance (sim, 60000);
          sim_exchange_all (sim, 2);
          g_hash_table_remove_all (sim->round);
          g_hash_table_remove_all (sim->fresh);
        }
      /* Fresh offline work on replica 0, not yet seen by replica 1; a random
       * step may change nothing, so work until something changed. */
      {
        gint64 seq_before = jg_store_get_last_seq (sim->stores[0]);

        sim_work (sim, 0, 6);
        while (jg_store_get_last_seq (sim->stores[0]) == seq_before)
          sim_work (sim, 0, 1);
      }
      sim_work (sim, 1, 6);

      {
        g_autoptr(GError) error = NULL;
        g_autoptr(JsonNode) bundle = jg_store_export_bundle (sim->stores[0], 0, &error);
        g_autofree char *before = NULL;
        g_autofree char *after = NULL;
        JgApplyCounts first = { 0 }, second = { 0 };
        guint n_changes;

        g_assert_no_error (error);
        n_changes = json_array_get_length (json_object_get_array_member (json_node_get_object (bundle), "changes"));
        jg_store_import_bundle (sim->stores[1], bundle, &first, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (first.accepted + first.duplicates, ==, n_changes);
        g_assert_cmpuint (first.accepted, >, 0);

        before = whole_text (sim->stores[1]);
        sim_advance (sim, 1000);
        jg_store_import_bundle (sim->stores[1], bundle, &second, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (second.accepted, ==, 0);
        g_assert_cmpuint (second.duplicates, ==, n_changes);
        g_assert_cmpuint (second.conflicts, ==, 0);
        after = whole_text (sim->stores[1]);
        g_assert_cmpstr (after, ==, before);
      }
    }
}

/* A store's own bundle is nothing new to it. */
static void
test_idempotent_own (void)
{
  g_autoptr(Sim) sim = sim_new (2, seed_base ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JgApplyCounts counts = { 0 };
  guint n_changes;

  for (guint round = 0; round < 3; round++)
    {
      sim_work (sim, 0, 6);
      sim_work (sim, 1, 6);
      sim_exchange_all (sim, 0);
      g_hash_table_remove_all (sim->round);
      g_hash_table_remove_all (sim->fresh);
    }
  bundle = jg_store_export_bundle (sim->stores[0], 0, &error);
  g_assert_no_error (error);
  n_changes = json_array_get_length (json_object_get_array_member (json_node_get_object (bundle), "changes"));
  g_assert_cmpuint (n_changes, >, 0);
  before = whole_text (sim->stores[0]);
  jg_store_import_bundle (sim->stores[0], bundle, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.accepted, ==, 0);
  g_assert_cmpuint (counts.duplicates, ==, n_changes);
  after = whole_text (sim->stores[0]);
  g_assert_cmpstr (after, ==, before);
}

/* An incremental bundle from an idle store is empty and changes nothing. */
static void
test_idempotent_empty_increment (void)
{
  g_autoptr(Sim) sim = sim_new (2, seed_base ());
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) bundle = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  JgApplyCounts counts = { 0 };
  gint64 last_seq = -1;

  sim_work (sim, 0, 6);
  sim_exchange_all (sim, 1);
  bundle = jg_store_export_bundle (sim->stores[0], sim->seen[0 * sim->n + 1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (bundle), "changes")), ==, 0);
  g_assert_true (jg_json_get_int (json_node_get_object (bundle), "last_seq", &last_seq));
  g_assert_cmpint (last_seq, ==, sim->seen[0 * sim->n + 1]);
  before = whole_text (sim->stores[1]);
  jg_store_import_bundle (sim->stores[1], bundle, &counts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (counts.accepted + counts.duplicates, ==, 0);
  after = whole_text (sim->stores[1]);
  g_assert_cmpstr (after, ==, before);
}

/* ---- (e) changes in any order ------------------------------------------ */

static void
shuffle (GRand     *rand,
         GPtrArray *array)
{
  for (guint k = array->len; k > 1; k--)
    {
      guint r = g_rand_int_range (rand, 0, (gint32) k);
      gpointer t = array->pdata[k - 1];

      array->pdata[k - 1] = array->pdata[r];
      array->pdata[r] = t;
    }
}

static GPtrArray *
copy_changes (GPtrArray *changes)
{
  GPtrArray *copy = g_ptr_array_new_with_free_func ((GDestroyNotify) jg_change_free);

  for (guint k = 0; k < changes->len; k++)
    g_ptr_array_add (copy, jg_change_copy (changes->pdata[k]));
  return copy;
}

/* Imports "changes" into a new store as bundles of random sizes (or one
 * bundle when max_chunk is 0) and returns the store. */
static JgStore *
import_in_order (Sim        *sim,
                 const char *name,
                 GPtrArray  *changes,
                 guint       max_chunk)
{
  JgStore *store = open_fresh_store (sim->dir, name);
  guint k = 0;

  while (k < changes->len)
    {
      guint len = max_chunk ? (guint) g_rand_int_range (sim->rand, 1, (gint32) max_chunk + 1) : changes->len;
      g_autoptr(GPtrArray) chunk = g_ptr_array_new ();
      g_autoptr(JsonNode) bundle = NULL;
      g_autoptr(GError) error = NULL;
      JgApplyCounts counts = { 0 };

      for (guint c = k; c < k + len && c < changes->len; c++)
        g_ptr_array_add (chunk, changes->pdata[c]);
      k += chunk->len;
      bundle = jg_bundle_build (jg_store_get_replica_id (sim->stores[0]), 0, chunk);
      jg_store_import_bundle (store, bundle, &counts, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (counts.accepted + counts.duplicates, ==, chunk->len);
    }
  return store;
}

static void
run_orders (guint32 seed)
{
  g_autoptr(Sim) sim = sim_new (3, seed);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) forward = NULL;
  g_autoptr(GPtrArray) reversed = NULL;
  g_autoptr(GPtrArray) shuffled = NULL;
  g_autofree char *expected = NULL;
  JgStore *targets[4];

  g_test_message ("seed %u (replay with JG_TEST_SEED=%u)", seed, seed);
  for (guint round = 0; round < 6; round++)
    {
      for (guint i = 0; i < sim->n; i++)
        sim_work (sim, i, 6);
      sim_advance (sim, 60000);
      sim_exchange_all (sim, 2);
      g_hash_table_remove_all (sim->round);
      g_hash_table_remove_all (sim->fresh);
    }
  /* Some last offline work, merged only through the hand-made bundles. */
  for (guint i = 0; i < sim->n; i++)
    sim_work (sim, i, 6);
  sim_exchange_all (sim, 0);
  assert_same_state (sim->stores, sim->n);
  expected = state_text (sim->stores[0]);

  forward = jg_store_changes_since (sim->stores[1], 0, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (forward->len, >, 10);

  reversed = copy_changes (forward);
  for (guint k = 0; k < reversed->len / 2; k++)
    {
      gpointer t = reversed->pdata[k];

      reversed->pdata[k] = reversed->pdata[reversed->len - 1 - k];
      reversed->pdata[reversed->len - 1 - k] = t;
    }
  shuffled = copy_changes (forward);
  shuffle (sim->rand, shuffled);

  targets[0] = import_in_order (sim, "forward.db", forward, 0);
  targets[1] = import_in_order (sim, "reversed.db", reversed, 0);
  targets[2] = import_in_order (sim, "shuffled.db", shuffled, 0);
  shuffle (sim->rand, shuffled);
  targets[3] = import_in_order (sim, "chunks.db", shuffled, 7);

  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      g_autofree char *state = state_text (targets[t]);

      g_assert_cmpstr (state, ==, expected);
    }

  /* Each target again, its own changes reversed: nothing new. */
  for (guint t = 0; t < G_N_ELEMENTS (targets); t++)
    {
      JgApplyCounts counts = { 0 };
      g_autoptr(JsonNode) bundle = jg_bundle_build (jg_store_get_replica_id (sim->stores[2]), 0, reversed);
      g_autofree char *state = NULL;

      jg_store_import_bundle (targets[t], bundle, &counts, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (counts.accepted, ==, 0);
      g_assert_cmpuint (counts.duplicates, ==, reversed->len);
      state = state_text (targets[t]);
      g_assert_cmpstr (state, ==, expected);
      g_object_unref (targets[t]);
    }
}

static void
test_orders (void)
{
  guint32 base = seed_base ();

  for (guint32 k = 0; k < 3; k++)
    run_orders (base + k);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/jg/convergence/rounds/full", test_rounds_full);
  g_test_add_func ("/jg/convergence/rounds/incremental", test_rounds_incremental);
  g_test_add_func ("/jg/convergence/rounds/mixed", test_rounds_mixed);
  g_test_add_func ("/jg/convergence/conflicts/model", test_conflicts_model);
  g_test_add_func ("/jg/convergence/conflicts/three-way", test_conflicts_three_way);
  g_test_add_func ("/jg/convergence/conflicts/settled", test_conflicts_settled);
  g_test_add_func ("/jg/convergence/conflicts/settled-twice", test_conflicts_settled_twice);
  g_test_add_func ("/jg/convergence/conflicts/delete", test_conflicts_delete);
  g_test_add_func ("/jg/convergence/partial", test_partial);
  g_test_add_func ("/jg/convergence/idempotent/twice", test_idempotent_twice);
  g_test_add_func ("/jg/convergence/idempotent/own-bundle", test_idempotent_own);
  g_test_add_func ("/jg/convergence/idempotent/empty-increment", test_idempotent_empty_increment);
  g_test_add_func ("/jg/convergence/order/any", test_orders);

  return g_test_run ();
}
