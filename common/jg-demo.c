/* jg-demo.c: the demo data generator: a believable county
 *
 * A year of a county federation's records, written the way staff would
 * write them: every record through jg_store_put(), so the domain's rules
 * (required fields, ranges, the review workflow, rubric scoring, the
 * ledger's balance, the award ladder) check it and the change log is real.
 * Records that need a reviewer's approval are approved as the county: the
 * store's "role" and "org_unit" are set to county_admin at the county while
 * generating, and put back afterwards.
 *
 * Records are made village by village, then township by township for what
 * needs the villages first (township activities, 复核 re-inspections,
 * township designations and awards).  Writes are batched in transactions
 * that end at village boundaries; cancelling keeps the villages already
 * committed, each complete.
 *
 * Every random choice comes from one GRand seeded by the caller, drawn in a
 * fixed order, so a seed always gives the same records.
 */

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "jg-demo.h"
#include "jg-error.h"
#include "jg-json.h"
#include "jg-org-units.h"
#include "jg-store-private.h"

#define DEFAULT_BATCH_SIZE 5000
#define BATCH_CACHE_KIB (-65536)   /* PRAGMA cache_size: 64 MiB */
#define HOUSEHOLDS_PER_VILLAGE_SMALL 50
#define RUBRIC_ID "four-beauty"
#define RUBRIC_VERSION 1

/* ---- word lists ------------------------------------------------------ */

/* Common in Taizhou, the most frequent first (and drawn more often). */
static const char * const surnames[] = {
  "陈", "王", "林", "李", "张", "徐", "黄", "周", "金", "叶", "郑", "杨", "蒋", "应",
  "朱", "吴", "何", "卢", "梁", "项", "潘", "章", "许", "赵", "刘", "胡", "洪", "罗",
  "屈", "泮", "郭", "牟", "丁", "冯", "鲍", "毛", "朱", "方", "柯", "彭", "董", "程",
  "管", "阮", "池", "狄", "蔡", "邵", "任", "谢",
};

static const char * const male_given[] = {
  "建国", "国平", "志强", "海军", "伟", "军", "明华", "永福", "德明", "金根", "法友",
  "才良", "忠林", "东海", "春林", "永康", "云飞", "荣华", "建新", "小平", "文杰", "斌",
  "峰", "新民", "国庆", "跃进", "立新", "卫东", "海波", "宏伟", "勇", "杰", "浩",
  "子豪", "宇航", "家乐", "俊杰", "振华", "林华", "仙友", "岳明", "根法",
};

static const char * const female_given[] = {
  "丽", "芳", "秀英", "红霞", "燕", "萍", "娟", "玲", "敏", "静", "秀美", "琴", "兰英",
  "凤仙", "珍", "梅", "莉", "洁", "素芬", "月娥", "雪芳", "彩云", "桂香", "美玲",
  "晓燕", "海燕", "丽君", "爱华", "仙娥", "菊香", "婷婷", "雅琴", "佳怡", "欣怡", "慧",
  "春燕", "小红", "秀珍", "丹", "亚萍",
};

static const char * const skills[] = {
  "宣讲", "家庭教育", "心理疏导", "文艺", "法律咨询", "护理", "理发", "烹饪",
  "垃圾分类", "摄影", "电商直播", "手工编织",
};

static const char * const venues[] = {
  "文化礼堂", "村委会议室", "妇女之家", "新时代文明实践站", "儿童之家", "老年活动中心",
};

static const char * const partners[] = {
  "镇派出所", "司法所", "卫生院", "综治中心", "乡贤会", "团支部", "关工委", "农商银行",
  "邮政储蓄银行", "文化站", "社工站",
};

typedef struct
{
  const char *title;
  const char *category;
  int         month;        /* 0: any month */
  int         day;          /* 0: any day of the month */
  gboolean    children;     /* children take part */
  int         funds_max;    /* yuan; 0: none */
} ActivityTemplate;

/* In the wording of the work reports (seeds/). */
static const ActivityTemplate village_activities[] = {
  { "三八妇女节维权宣传活动", "rights_protection", 3, 8, FALSE, 800 },
  { "“三八”节巾帼趣味运动会", "culture_sports", 3, 0, FALSE, 1500 },
  { "“美好生活·民法典相伴”主题宣传", "rights_protection", 5, 0, FALSE, 500 },
  { "《反家庭暴力法》宣传进村", "rights_protection", 11, 25, FALSE, 500 },
  { "婚姻家庭矛盾纠纷排查化解", "rights_protection", 0, 0, FALSE, 0 },
  { "家庭教育讲座进村", "family_education", 0, 0, TRUE, 600 },
  { "“好家风好家训”故事会", "family_education", 0, 0, TRUE, 300 },
  { "亲子阅读分享会", "family_education", 0, 0, TRUE, 500 },
  { "暑期儿童防溺水安全教育课堂", "family_education", 7, 0, TRUE, 400 },
  { "巾帼志愿者关爱留守儿童", "volunteer_service", 0, 0, TRUE, 1000 },
  { "巾帼志愿者垃圾分类入户宣传", "volunteer_service", 0, 0, FALSE, 300 },
  { "“和合姊妹”巾帼志愿服务进村", "volunteer_service", 0, 0, FALSE, 500 },
  { "巾帼志愿者人居环境整治行动", "volunteer_service", 0, 0, FALSE, 400 },
  { "巾帼志愿者助老服务", "volunteer_service", 10, 0, FALSE, 600 },
  { "美丽庭院创建培训会", "training", 4, 0, FALSE, 1500 },
  { "巾帼创业技能培训班", "training", 0, 0, FALSE, 3000 },
  { "农村电商直播技能培训", "training", 0, 0, FALSE, 2500 },
  { "妇女“两癌”防治知识讲座", "outreach_talk", 0, 0, FALSE, 500 },
  { "“巾帼心向党”主题宣讲", "outreach_talk", 0, 0, FALSE, 300 },
  { "最美家庭事迹分享会", "outreach_talk", 5, 15, FALSE, 300 },
  { "“两节”困难妇女走访慰问", "care_visit", 1, 0, FALSE, 20000 },
  { "六一关爱留守儿童慰问活动", "care_visit", 6, 1, TRUE, 5000 },
  { "重阳节敬老慰问", "care_visit", 10, 0, FALSE, 8000 },
  { "困境儿童家庭走访", "care_visit", 0, 0, TRUE, 3000 },
  { "端午包粽子邻里活动", "culture_sports", 6, 0, TRUE, 1200 },
  { "中秋邻里联谊会", "culture_sports", 9, 0, TRUE, 1500 },
  { "美丽庭院评比现场观摩", "other", 9, 0, FALSE, 800 },
  { "妇女议事会", "other", 0, 0, FALSE, 0 },
};

static const ActivityTemplate township_activities[] = {
  { "庆祝“三八”国际妇女节表彰大会", "other", 3, 0, FALSE, 10000 },
  { "村（社区）妇联执委履职能力培训", "training", 0, 0, FALSE, 6000 },
  { "巾帼共富工坊技能培训班", "training", 0, 0, FALSE, 8000 },
  { "“春蕾计划”助学金发放", "care_visit", 9, 0, TRUE, 30000 },
  { "低收入家庭妇女“两癌”救助走访", "care_visit", 0, 0, FALSE, 20000 },
  { "家庭教育指导服务站揭牌暨首场讲座", "family_education", 0, 0, TRUE, 3000 },
  { "“平安家庭”创建宣传活动", "rights_protection", 0, 0, FALSE, 2000 },
  { "12·4国家宪法日普法宣传", "rights_protection", 12, 4, FALSE, 1000 },
  { "巾帼志愿服务项目路演", "volunteer_service", 0, 0, FALSE, 2000 },
  { "美丽庭院示范户复核", "other", 10, 0, FALSE, 1000 },
  { "最美家庭寻找活动启动仪式", "outreach_talk", 4, 0, FALSE, 2000 },
  { "“巾帼红”女性红色教育基地参观学习", "outreach_talk", 7, 1, FALSE, 3000 },
};

typedef struct
{
  const char *code;
  int         weight;
  const char *deeds;   /* follows the family's name */
} AwardTemplate;

static const AwardTemplate awards[] = {
  { "most_beautiful_family", 40, "孝老爱亲、夫妻和睦，积极参与美丽庭院创建和垃圾分类志愿服务，在村里传为佳话。" },
  { "civilized_family", 12, "遵守村规民约，移风易俗，红白喜事从简办理，带动邻里文明新风。" },
  { "five_good_family", 10, "爱国守法、勤劳致富、尊老爱幼、邻里团结、清洁卫生，是全村学习的榜样。" },
  { "green_family", 8, "践行绿色生活，庭院绿化美化，坚持垃圾分类，节水节电。" },
  { "learning_family", 8, "重视家庭教育，全家坚持读书学习，子女勤奋上进。" },
  { "safe_family", 6, "家庭和谐平安，积极参与平安创建和矛盾纠纷调解。" },
  { "clean_family", 5, "家风清正，勤俭持家，廉洁自律。" },
  { "scholarly_family", 5, "家中藏书丰富，坚持亲子共读，书香传家。" },
  { "good_in_laws", 4, "婆媳亲如母女，相互体谅，共同照顾家中老人和孩子。" },
  { "military_spouse", 2, "军嫂独自操持家务、赡养老人，默默支持丈夫守卫边疆。" },
};

typedef struct
{
  const char *item;
  const char *name;
  int         weight;
} RedemptionTemplate;

static const RedemptionTemplate redemption_items[] = {
  { "goods", "大米一袋", 20 },
  { "goods", "食用油一桶", 15 },
  { "goods", "洗衣液一瓶", 10 },
  { "service", "理发服务", 15 },
  { "service", "家电维修", 10 },
  { "service", "家政保洁", 10 },
  { "service", "健康体检", 8 },
  { "privilege", "景区免费游览", 7 },
  { "privilege", "优先参加巾帼培训", 5 },
};

/* The four sections of the rubric (DOMAIN.md, data/rubric/four-beauty-v1.json). */
typedef struct
{
  const char *code;
  int         max;
  int         section;
} RubricItem;

static const RubricItem rubric_items[] = {
  { "R1", 6, 0 }, { "R2", 6, 0 }, { "R3", 5, 0 }, { "R4", 4, 0 }, { "R5", 4, 0 },
  { "Y1", 7, 1 }, { "Y2", 6, 1 }, { "Y3", 6, 1 }, { "Y4", 4, 1 }, { "Y5", 4, 1 }, { "Y6", 3, 1 },
  { "K1", 5, 2 }, { "K2", 4, 2 }, { "K3", 7, 2 }, { "K4", 4, 2 },
  { "F1", 6, 3 }, { "F2", 4, 3 }, { "F3", 4, 3 }, { "F4", 4, 3 }, { "F5", 4, 3 }, { "F6", 3, 3 },
};
static const int section_max[] = { 25, 30, 20, 25 };
static const char * const vetoes[] = { "V1", "V2", "V3", "V4", "V5" };

/* ---- the generator's state ------------------------------------------- */

typedef struct
{
  char    *id;
  char    *village;       /* division code */
  char    *head_name;
  gboolean approved;
  gboolean consent;
  double   quality;       /* 0..1: how well kept the courtyard is */
  double   best_total;    /* of an approved village inspection; -1: none */
  char    *inspection;    /* that inspection */
  gboolean village_designated;
  guint    village_valid_from;   /* day of the year its village designation starts */
  char    *village_award; /* award type granted at village level, or NULL */
} Household;

typedef struct
{
  char  *code;
  char  *name;        /* 大田刘村委会 */
  char  *short_name;  /* 大田刘村 */
  char  *township;
  guint  first_household;
  guint  n_households;
} Village;

typedef struct
{
  JgStore            *store;
  GRand              *rand;
  GCancellable       *cancellable;
  JgDemoProgressFunc  progress;
  gpointer            progress_data;

  int                 year;
  GDate               first_day;
  guint               n_days;        /* days of the year that are not to come */
  char               *county;
  char               *county_short;  /* for plaque and certificate numbers */

  GPtrArray          *villages;      /* Village */
  GArray             *households;    /* Household */

  guint               batch_size;
  guint               batch_puts;
  gboolean            in_batch;

  guint64             puts;
  guint               n_households;
  guint               n_activities;
  guint               n_volunteers;
  guint               n_service_entries;
  guint               n_redemptions;
  guint               n_inspections;
  guint               n_designations;
  guint               n_awards;
  guint               plaque_seq;
  guint               certificate_seq;
  gboolean            notices_today; /* a signed-in store: no back-dated notices */
} Gen;

static void
household_clear (gpointer data)
{
  Household *h = data;

  g_free (h->id);
  g_free (h->village);
  g_free (h->head_name);
  g_free (h->inspection);
  g_free (h->village_award);
}

static void
village_free (gpointer data)
{
  Village *v = data;

  g_free (v->code);
  g_free (v->name);
  g_free (v->short_name);
  g_free (v->township);
  g_free (v);
}

/* ---- random choices -------------------------------------------------- */

static int
rand_int (Gen *g,
          int  lo,
          int  hi)
{
  return g_rand_int_range (g->rand, lo, hi + 1);
}

static gboolean
chance (Gen    *g,
        double  p)
{
  return g_rand_double (g->rand) < p;
}

static const char *
pick (Gen                *g,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (g->rand, 0, (gint32) n)];
}

#define PICK(g, list) pick ((g), (list), G_N_ELEMENTS (list))

/* Roughly normal, from the sum of uniforms; no libm randomness. */
static double
rand_normal (Gen    *g,
             double  sd)
{
  double s = 0;

  for (int i = 0; i < 6; i++)
    s += g_rand_double (g->rand);
  return (s - 3.0) * sd * 1.41;
}

static char *
person_name (Gen         *g,
             const char  *clan,
             gboolean     female)
{
  const char *surname;

  /* A clan village: a third of the families share its surname.  Otherwise
   * the smaller of two draws, so the common surnames come up more often. */
  if (clan && chance (g, 0.33))
    surname = clan;
  else
    {
      gint32 a = g_rand_int_range (g->rand, 0, G_N_ELEMENTS (surnames));
      gint32 b = g_rand_int_range (g->rand, 0, G_N_ELEMENTS (surnames));

      surname = surnames[MIN (a, b)];
    }
  return g_strconcat (surname, female ? PICK (g, female_given) : PICK (g, male_given), NULL);
}

static char *
mobile_phone (Gen *g)
{
  static const char * const prefixes[] = { "138", "139", "135", "136", "137", "158", "159",
                                           "188", "189", "133", "153", "177", "180", "181", "199" };

  return g_strdup_printf ("%s%08d", PICK (g, prefixes), rand_int (g, 0, 99999999));
}

/* ---- dates ----------------------------------------------------------- */

static void
day_of_year (Gen   *g,
             guint  index,
             GDate *out)
{
  *out = g->first_day;
  g_date_add_days (out, MIN (index, g->n_days - 1));
}

static void
random_day (Gen   *g,
            guint  from,
            guint  to,
            GDate *out)
{
  from = MIN (from, g->n_days - 1);
  to = MIN (to, g->n_days - 1);
  day_of_year (g, (guint) rand_int (g, (int) from, (int) MAX (from, to)), out);
}

/* A day in a month (1-12), or on a fixed day of it; clamped to the past. */
static void
day_in_month (Gen   *g,
              int    month,
              int    day,
              GDate *out)
{
  GDate start;
  guint first, days;

  g_date_clear (&start, 1);
  g_date_set_dmy (&start, 1, (GDateMonth) month, (GDateYear) g->year);
  first = (guint) g_date_days_between (&g->first_day, &start);
  days = g_date_get_days_in_month ((GDateMonth) month, (GDateYear) g->year);
  if (day > 0)
    day_of_year (g, first + (guint) day - 1, out);
  else
    random_day (g, first, first + days - 1, out);
}

static char *
date_text (const GDate *d)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (d), g_date_get_month (d), g_date_get_day (d));
}

static char *
datetime_text (const GDate *d,
               int          hour,
               int          minute)
{
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", g_date_get_year (d), g_date_get_month (d),
                          g_date_get_day (d), hour, minute);
}

static guint
index_of_day (Gen         *g,
              const GDate *d)
{
  return (guint) MAX (0, g_date_days_between (&g->first_day, d));
}

/* ---- writing --------------------------------------------------------- */

static char *
put (Gen         *g,
     const char  *entity,
     JsonObject  *fields,
     GError     **error)
{
  char *id = jg_store_put (g->store, entity, fields, error);

  json_object_unref (fields);
  if (id == NULL)
    {
      g_prefix_error (error, _("Cannot create the demo %s: "), entity);
      return NULL;
    }
  g->puts++;
  g->batch_puts++;
  return id;
}

static gboolean
update (Gen         *g,
        const char  *entity,
        const char  *id,
        JsonObject  *fields,
        GError     **error)
{
  g_autofree char *same = NULL;

  json_object_set_string_member (fields, "id", id);
  same = put (g, entity, fields, error);
  return same != NULL;
}

static gboolean
set_string (Gen         *g,
            const char  *entity,
            const char  *id,
            const char  *field,
            const char  *value,
            GError     **error)
{
  JsonObject *fields = json_object_new ();

  json_object_set_string_member (fields, field, value);
  return update (g, entity, id, fields, error);
}

/* An update as it was made on @day (noon, China time): a step whose rules
 * look at the day it is taken (an award's public notice may not start
 * before it is put up) is taken on that day of the demo's year. */
static gboolean
update_on_day (Gen          *g,
               const char   *entity,
               const char   *id,
               JsonObject   *fields,
               const GDate  *day,
               GError      **error)
{
  JgHlc *hlc = jg_store_get_hlc (g->store);
  gint64 saved = jg_hlc_get_offset_ms (hlc);
  g_autoptr(GDateTime) noon = g_date_time_new_utc (g_date_get_year (day), g_date_get_month (day),
                                                   g_date_get_day (day), 4, 0, 0);
  gboolean ok;

  jg_hlc_set_offset_ms (hlc, saved + g_date_time_to_unix (noon) * 1000 - jg_hlc_wall_ms (hlc));
  ok = update (g, entity, id, fields, error);
  jg_hlc_set_offset_ms (hlc, saved);
  return ok;
}

/* How far along the review a record gets: most are approved. */
typedef enum
{
  FATE_DRAFT,
  FATE_SUBMITTED,
  FATE_APPROVED,
} Fate;

static Fate
review_fate (Gen    *g,
             double  approved,
             double  submitted)
{
  double r = g_rand_double (g->rand);

  if (r < approved)
    return FATE_APPROVED;
  if (r < approved + submitted)
    return FATE_SUBMITTED;
  return FATE_DRAFT;
}

/* Creates the record as staff submit it, then approves it as the county. */
static char *
put_reviewed (Gen         *g,
              const char  *entity,
              JsonObject  *fields,
              Fate         fate,
              GError     **error)
{
  g_autofree char *id = NULL;

  json_object_set_string_member (fields, "review_state", fate == FATE_DRAFT ? "draft" : "submitted");
  id = put (g, entity, fields, error);
  if (id == NULL)
    return NULL;
  if (fate == FATE_APPROVED && !set_string (g, entity, id, "review_state", "approved", error))
    return NULL;
  return g_steal_pointer (&id);
}

static gboolean
batch_begin (Gen     *g,
             GError **error)
{
  if (!jg_store_begin (g->store, error))
    return FALSE;
  g->in_batch = TRUE;
  g->batch_puts = 0;
  return TRUE;
}

static gboolean
batch_commit (Gen     *g,
              GError **error)
{
  g->in_batch = FALSE;
  return jg_store_commit (g->store, error);
}

/* At a village boundary: commit when the batch is full, and see whether
 * the caller gave up. */
static gboolean
batch_checkpoint (Gen     *g,
                  GError **error)
{
  if (g_cancellable_set_error_if_cancelled (g->cancellable, error))
    return FALSE;
  if (g->batch_puts < g->batch_size)
    return TRUE;
  return batch_commit (g, error) && batch_begin (g, error);
}

/* ---- households ------------------------------------------------------ */

static char *
village_short_name (const char *name)
{
  if (g_str_has_suffix (name, "村委会"))
    return g_strndup (name, strlen (name) - strlen ("委会"));
  if (g_str_has_suffix (name, "居委会"))
    {
      g_autofree char *stem = g_strndup (name, strlen (name) - strlen ("居委会"));

      return g_strconcat (stem, "社区", NULL);   /* 南浦居委会 → 南浦社区 */
    }
  if (g_str_has_suffix (name, "村民委员会"))
    return g_strndup (name, strlen (name) - strlen ("民委员会"));
  if (g_str_has_suffix (name, "居民委员会"))
    return g_strndup (name, strlen (name) - strlen ("居民委员会"));
  return g_strdup (name);
}

static const int member_weights[] = { 8, 20, 25, 25, 13, 6, 3 };

static int
member_count (Gen *g)
{
  int r = rand_int (g, 0, 99);

  for (guint i = 0; i < G_N_ELEMENTS (member_weights); i++)
    {
      if (r < member_weights[i])
        return (int) i + 1;
      r -= member_weights[i];
    }
  return 4;
}

static gboolean
make_households (Gen      *g,
                 Village  *v,
                 GError  **error)
{
  const char *clan = PICK (g, surnames);
  gboolean community = g_str_has_suffix (v->short_name, "社区");
  int groups = MAX (3, (int) v->n_households / 35 + 2);

  for (guint i = 0; i < v->n_households; i++)
    {
      Household *h = &g_array_index (g->households, Household, v->first_household + i);
      JsonObject *fields = json_object_new ();
      g_autofree char *address = NULL;
      Fate fate;
      double u;

      h->village = g_strdup (v->code);
      h->head_name = person_name (g, clan, chance (g, 0.3));
      if (community)
        address = g_strdup_printf ("%s%d幢%d0%d室", v->short_name, rand_int (g, 1, 30),
                                   rand_int (g, 1, 6), rand_int (g, 1, 4));
      else
        address = g_strdup_printf ("%s%d组%d号", v->short_name, rand_int (g, 1, groups),
                                   rand_int (g, 1, 90));

      json_object_set_string_member (fields, "org_unit", v->code);
      json_object_set_string_member (fields, "head_name", h->head_name);
      json_object_set_string_member (fields, "address", address);
      json_object_set_int_member (fields, "member_count", member_count (g));
      if (chance (g, 0.85))
        {
          g_autofree char *phone = mobile_phone (g);

          json_object_set_string_member (fields, "phone", phone);
        }

      /* 留守 and 低保 households are the ones care visits go to. */
      u = g_rand_double (g->rand);
      if (u < 0.07)
        {
          JsonArray *tags = json_array_new ();

          if (u < 0.035 || u >= 0.065)
            json_array_add_string_element (tags, "留守");
          if (u >= 0.035)
            json_array_add_string_element (tags, u < 0.06 && u >= 0.05 ? "残疾" : "低保");
          if (u >= 0.06 && u < 0.065)
            json_array_add_string_element (tags, "单亲");
          json_object_set_array_member (fields, "tags", tags);
        }

      if (chance (g, 0.45))
        {
          GDate d;
          g_autofree char *at = NULL;

          random_day (g, 0, 120, &d);
          at = datetime_text (&d, rand_int (g, 8, 17), rand_int (g, 0, 59));
          h->consent = TRUE;
          json_object_set_boolean_member (fields, "publicity_consent", TRUE);
          json_object_set_string_member (fields, "consent_at", at);
        }
      else if (chance (g, 0.3))
        json_object_set_boolean_member (fields, "publicity_consent", FALSE);

      /* Skewed to the good side: most courtyards pass, some shine. */
      h->quality = 0.42 + 0.58 * pow (g_rand_double (g->rand), 0.7);
      h->best_total = -1;

      fate = review_fate (g, 0.92, 0.06);
      h->approved = fate == FATE_APPROVED;
      h->id = put_reviewed (g, "household", fields, fate, error);
      if (h->id == NULL)
        return FALSE;
      g->n_households++;
    }
  return TRUE;
}

/* ---- activities ------------------------------------------------------ */

static char *
make_activity (Gen                    *g,
               const char             *unit,
               const char             *unit_name,
               const ActivityTemplate *t,
               gboolean                township,
               char                  **category_out,
               GError                **error)
{
  JsonObject *fields = json_object_new ();
  GDate d;
  int hour = chance (g, 0.6) ? rand_int (g, 8, 10) : rand_int (g, 14, 15);
  int minute = chance (g, 0.5) ? 0 : 30;
  int length = rand_int (g, 3, 6) * 30;
  int participants = township ? rand_int (g, 40, 300) : rand_int (g, 15, 120);
  int women = (int) lround (participants * (0.55 + 0.4 * g_rand_double (g->rand)));
  int children = t->children ? (int) lround ((participants - women) * g_rand_double (g->rand)) : 0;
  int beneficiaries = participants * rand_int (g, 1, 3);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *location = NULL;
  g_autofree char *organizer = NULL;
  g_autofree char *summary = NULL;
  const char *venue = PICK (g, venues);
  const char *partner = chance (g, 0.4) ? PICK (g, partners) : NULL;
  double funds = 0;
  char *id;

  if (t->month > 0)
    day_in_month (g, t->month, t->day, &d);
  else
    random_day (g, 0, g->n_days - 1, &d);
  start = datetime_text (&d, hour, minute);
  end = datetime_text (&d, hour + (minute + length) / 60, (minute + length) % 60);
  location = g_strconcat (unit_name, venue, NULL);
  organizer = g_strconcat (unit_name, "妇联", NULL);
  if (t->funds_max > 0 && chance (g, 0.7))
    funds = rand_int (g, t->funds_max / 10, t->funds_max) / 100 * 100.0;
  if (children > participants - women)
    children = participants - women;

  summary = g_strdup_printf ("%d年%d月%d日，%s在%s开展%s，%d人参加，其中妇女%d人%s，受益%d人次。",
                             g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d),
                             organizer, location, t->title, participants, women,
                             children > 0 ? "，并有儿童参与" : "", beneficiaries);

  json_object_set_string_member (fields, "org_unit", unit);
  json_object_set_string_member (fields, "title", t->title);
  json_object_set_string_member (fields, "category", t->category);
  json_object_set_string_member (fields, "start_at", start);
  json_object_set_string_member (fields, "end_at", end);
  json_object_set_string_member (fields, "location", location);
  json_object_set_string_member (fields, "organizer", organizer);
  if (partner)
    json_object_set_string_member (fields, "partners", partner);
  json_object_set_int_member (fields, "participants", participants);
  json_object_set_int_member (fields, "participants_women", women);
  json_object_set_int_member (fields, "participants_children", children);
  json_object_set_int_member (fields, "beneficiaries", beneficiaries);
  json_object_set_double_member (fields, "funds_yuan", funds);
  json_object_set_string_member (fields, "summary", summary);

  id = put_reviewed (g, "activity", fields, review_fate (g, 0.9, 0.07), error);
  if (id != NULL)
    {
      g->n_activities++;
      if (category_out)
        *category_out = g_strdup (t->category);
    }
  return id;
}

/* ---- volunteers and the time bank ------------------------------------ */

static gboolean
make_redemption (Gen         *g,
                 Village     *v,
                 const char  *volunteer,
                 gint64       available,
                 const char  *relative,
                 GError     **error)
{
  const RedemptionTemplate *t = &redemption_items[0];
  int total = 0, r;
  JsonObject *fields = json_object_new ();
  g_autofree char *id = NULL;
  gint64 minutes;

  for (guint i = 0; i < G_N_ELEMENTS (redemption_items); i++)
    total += redemption_items[i].weight;
  r = rand_int (g, 0, total - 1);
  for (guint i = 0; i < G_N_ELEMENTS (redemption_items); i++)
    {
      if (r < redemption_items[i].weight)
        {
          t = &redemption_items[i];
          break;
        }
      r -= redemption_items[i].weight;
    }
  minutes = 60 * rand_int (g, 1, (int) MAX (1, available / 120));

  json_object_set_string_member (fields, "org_unit", v->code);
  json_object_set_string_member (fields, "volunteer", volunteer);
  json_object_set_int_member (fields, "minutes", minutes);
  json_object_set_string_member (fields, "item", t->item);
  json_object_set_string_member (fields, "item_name", t->name);
  json_object_set_string_member (fields, "beneficiary", relative ? relative : "self");

  id = put_reviewed (g, "redemption", fields, FATE_APPROVED, error);
  if (id == NULL)
    return FALSE;
  g->n_redemptions++;

  /* The county settles most; the rest wait for the server. */
  if (chance (g, 0.85))
    {
      if (!set_string (g, "redemption", id, "status", "accepted", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
make_volunteers (Gen        *g,
                 Village    *v,
                 const char *recorder,
                 GPtrArray  *service_activities,
                 GError    **error)
{
  guint n = MAX (3, v->n_households / 15);
  g_autofree char *team = g_strconcat (v->short_name, "巾帼志愿服务队", NULL);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *fields = json_object_new ();
      gboolean female = chance (g, 0.88);
      g_autofree char *name = person_name (g, NULL, female);
      g_autofree char *phone = mobile_phone (g);
      g_autofree char *id4 = NULL;
      g_autofree char *joined = NULL;
      g_autofree char *id = NULL;
      g_autofree char *skill = NULL;
      gboolean active = chance (g, 0.9);
      gint64 approved_minutes = 0;
      GDate d;
      Fate fate;
      int joined_year = rand_int (g, MAX (2016, g->year - 8), g->year);
      guint joined_day = 0;
      guint n_entries;
      guint8 used[366] = { 0 };

      id4 = chance (g, 0.08) ? g_strdup_printf ("%03dX", rand_int (g, 0, 999))
                             : g_strdup_printf ("%04d", rand_int (g, 0, 9999));
      if (joined_year == g->year)
        {
          random_day (g, 0, g->n_days / 2, &d);
          joined = date_text (&d);
          joined_day = index_of_day (g, &d);
        }
      else
        joined = g_strdup_printf ("%04d-%02d-%02d", joined_year, rand_int (g, 1, 12), rand_int (g, 1, 28));
      skill = chance (g, 0.5) ? g_strdup (PICK (g, skills))
                              : g_strconcat (PICK (g, skills), "、", PICK (g, skills), NULL);

      json_object_set_string_member (fields, "org_unit", v->code);
      json_object_set_string_member (fields, "name", name);
      json_object_set_string_member (fields, "gender", female ? "female" : "male");
      json_object_set_int_member (fields, "birth_year", rand_int (g, 1955, 2002));
      json_object_set_string_member (fields, "phone", phone);
      json_object_set_string_member (fields, "id_last4", id4);
      json_object_set_string_member (fields, "team", chance (g, 0.8) ? team : "“和合姊妹”巾帼志愿服务队");
      json_object_set_string_member (fields, "skills", skill);
      json_object_set_string_member (fields, "joined_at", joined);
      json_object_set_boolean_member (fields, "active", active);

      fate = review_fate (g, 0.95, 0.04);
      id = put_reviewed (g, "volunteer", fields, fate, error);
      if (id == NULL)
        return FALSE;
      g->n_volunteers++;
      if (!active || fate != FATE_APPROVED)
        continue;

      /* A few hours of service a month; one entry a day at most, so that
       * nothing overlaps or passes the daily cap. */
      n_entries = (guint) rand_int (g, 2, 10);
      for (guint e = 0; e < n_entries; e++)
        {
          JsonObject *entry = json_object_new ();
          g_autofree char *served = NULL;
          g_autofree char *entry_id = NULL;
          const char *activity = NULL;
          const char *type;
          int minutes = rand_int (g, 2, 8) * 30;
          guint day;
          Fate entry_fate;

          random_day (g, joined_day, g->n_days - 1, &d);
          day = index_of_day (g, &d);
          if (used[day % 366])
            {
              json_object_unref (entry);
              continue;
            }
          used[day % 366] = 1;
          served = datetime_text (&d, rand_int (g, 8, 14), chance (g, 0.5) ? 0 : 30);

          if (service_activities->len > 0 && chance (g, 0.4))
            {
              activity = service_activities->pdata[rand_int (g, 0, (int) service_activities->len - 1)];
              type = "volunteer_service";
            }
          else
            {
              static const char * const types[] = { "volunteer_service", "care_visit", "outreach_talk",
                                                     "family_education", "culture_sports" };
              type = PICK (g, types);
            }

          json_object_set_string_member (entry, "org_unit", v->code);
          json_object_set_string_member (entry, "volunteer", id);
          json_object_set_int_member (entry, "minutes", minutes);
          json_object_set_string_member (entry, "service_type", type);
          if (activity)
            json_object_set_string_member (entry, "activity", activity);
          json_object_set_string_member (entry, "served_at", served);
          json_object_set_string_member (entry, "recorded_by", recorder);

          entry_fate = review_fate (g, 0.88, 0.08);
          entry_id = put_reviewed (g, "service_entry", entry, entry_fate, error);
          if (entry_id == NULL)
            return FALSE;
          g->n_service_entries++;
          if (entry_fate == FATE_APPROVED)
            approved_minutes += minutes;
        }

      /* Spending some of it: never more than half of what was approved. */
      if (approved_minutes >= 120 && chance (g, 0.3))
        {
          g_autofree char *relative = NULL;

          if (chance (g, 0.15))
            relative = person_name (g, NULL, chance (g, 0.6));
          if (!make_redemption (g, v, id, approved_minutes, relative, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- courtyard inspections and designations -------------------------- */

typedef struct
{
  double   total;
  gboolean veto;
  gboolean sections_ok;
} Score;

static JsonObject *
draw_scores (Gen    *g,
             double  quality,
             Score  *score)
{
  JsonObject *scores = json_object_new ();
  double sections[G_N_ELEMENTS (section_max)] = { 0 };

  score->total = 0;
  for (guint i = 0; i < G_N_ELEMENTS (rubric_items); i++)
    {
      const RubricItem *item = &rubric_items[i];
      double q = quality + rand_normal (g, 0.08);   /* CLAMP evaluates twice */
      int points = (int) lround (CLAMP (q, 0.0, 1.0) * item->max);

      json_object_set_int_member (scores, item->code, points);
      sections[item->section] += points;
      score->total += points;
    }
  score->sections_ok = TRUE;
  for (guint s = 0; s < G_N_ELEMENTS (section_max); s++)
    if (sections[s] < 0.6 * section_max[s])
      score->sections_ok = FALSE;
  return scores;
}

static char *
make_inspection (Gen         *g,
                 Household   *h,
                 const char  *stage,
                 double       quality,
                 guint        from_day,
                 guint        to_day,
                 const char  *inspector,
                 Fate         fate,
                 Score       *score,
                 GDate       *date_out,
                 GError     **error)
{
  JsonObject *fields = json_object_new ();
  JsonObject *scores = draw_scores (g, quality, score);
  JsonArray *inspectors = json_array_new ();
  JsonArray *veto_hits = json_array_new ();
  g_autofree char *date = NULL;
  g_autofree char *second = person_name (g, NULL, TRUE);
  char *id;

  random_day (g, from_day, to_day, date_out);
  date = date_text (date_out);
  json_array_add_string_element (inspectors, inspector);
  json_array_add_string_element (inspectors, second);

  score->veto = chance (g, 0.015);
  if (score->veto)
    json_array_add_string_element (veto_hits, chance (g, 0.6) ? "V2" : PICK (g, vetoes));

  json_object_set_string_member (fields, "org_unit", h->village);
  json_object_set_string_member (fields, "household", h->id);
  json_object_set_string_member (fields, "inspected_at", date);
  json_object_set_array_member (fields, "inspectors", inspectors);
  json_object_set_string_member (fields, "stage", stage);
  json_object_set_string_member (fields, "rubric", RUBRIC_ID);
  json_object_set_int_member (fields, "rubric_version", RUBRIC_VERSION);
  json_object_set_object_member (fields, "item_scores", scores);
  json_object_set_array_member (fields, "veto_hits", veto_hits);

  if (score->veto || score->total < 60 || !score->sections_ok)
    {
      GDate by = *date_out;
      g_autofree char *by_text = NULL;

      g_date_add_days (&by, 30);
      by_text = date_text (&by);
      json_object_set_string_member (fields, "notes", score->veto ? "存在一票否决情形，限期整改"
                                                                   : "庭院杂物堆放较乱，卫生需加强，限期整改");
      json_object_set_string_member (fields, "rectify_by", by_text);
    }
  else if (score->total >= 90)
    json_object_set_string_member (fields, "notes", "庭院整洁美观，绿化到位，家风良好");
  else
    json_object_set_string_member (fields, "notes", "整体整洁，个别细节有待提升");

  id = put_reviewed (g, "inspection", fields, fate, error);
  if (id != NULL)
    g->n_inspections++;
  return id;
}

static gboolean
make_designation (Gen         *g,
                  Household   *h,
                  const char  *level,
                  const char  *inspection,
                  const GDate *inspected,
                  guint       *valid_from_day,
                  GError     **error)
{
  JsonObject *fields = json_object_new ();
  GDate from = *inspected, to;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *plaque = NULL;
  g_autofree char *id = NULL;
  guint day = index_of_day (g, inspected) + (guint) rand_int (g, 7, 30);   /* drawn once: MIN evaluates twice */

  day = MIN (day, g->n_days - 1);
  day_of_year (g, day, &from);
  if (valid_from_day)
    *valid_from_day = day;
  to = from;
  g_date_add_years (&to, 3);
  g_date_subtract_days (&to, 1);
  from_text = date_text (&from);
  to_text = date_text (&to);
  plaque = g_strdup_printf ("%s美庭〔%d〕%s%05u", g->county_short, g->year,
                            strcmp (level, "village") == 0 ? "村" : "镇", ++g->plaque_seq);

  json_object_set_string_member (fields, "org_unit", h->village);
  json_object_set_string_member (fields, "household", h->id);
  json_object_set_string_member (fields, "level", level);
  json_object_set_string_member (fields, "inspection", inspection);
  json_object_set_string_member (fields, "valid_from", from_text);
  json_object_set_string_member (fields, "valid_to", to_text);
  json_object_set_string_member (fields, "plaque_no", plaque);

  id = put_reviewed (g, "designation", fields, FATE_APPROVED, error);
  if (id == NULL)
    return FALSE;
  g->n_designations++;
  return TRUE;
}

static gboolean
qualifies (const Score *score,
           double       min_total)
{
  return !score->veto && score->sections_ok && score->total >= min_total;
}

static gboolean
make_village_inspections (Gen         *g,
                          Village     *v,
                          const char  *inspector,
                          GError     **error)
{
  for (guint i = 0; i < v->n_households; i++)
    {
      Household *h = &g_array_index (g->households, Household, v->first_household + i);
      g_autofree char *id = NULL;
      Score score;
      GDate d;
      Fate fate;

      /* The campaign reaches a third of the approved households a year. */
      if (!h->approved || !chance (g, 0.35))
        continue;
      fate = review_fate (g, 0.9, 0.1);
      id = make_inspection (g, h, "village", h->quality, 90, 320, inspector, fate, &score, &d, error);
      if (id == NULL)
        return FALSE;
      if (fate != FATE_APPROVED)
        continue;
      h->best_total = score.total;
      h->inspection = g_strdup (id);

      if (qualifies (&score, 85) && chance (g, 0.85))
        {
          if (!make_designation (g, h, "village", id, &d, &h->village_valid_from, error))
            return FALSE;
          h->village_designated = TRUE;
        }
    }
  return TRUE;
}

/* ---- family awards --------------------------------------------------- */

static const AwardTemplate *
pick_award (Gen *g)
{
  int total = 0, r;

  for (guint i = 0; i < G_N_ELEMENTS (awards); i++)
    total += awards[i].weight;
  r = rand_int (g, 0, total - 1);
  for (guint i = 0; i < G_N_ELEMENTS (awards); i++)
    {
      if (r < awards[i].weight)
        return &awards[i];
      r -= awards[i].weight;
    }
  return &awards[0];
}

/* Nominated → under review → public notice → awarded, as the county would
 * move it; some stop on the way or are declined.  Returns TRUE with
 * *awarded set when the award was granted. */
static gboolean
make_award (Gen                 *g,
            Household           *h,
            const AwardTemplate *t,
            const char          *level,
            const char          *nominator,
            gboolean            *awarded,
            GError             **error)
{
  JsonObject *fields = json_object_new ();
  g_autofree char *family = g_strconcat (h->head_name, "家庭", NULL);
  g_autofree char *deeds = g_strconcat (family, t->deeds, NULL);
  g_autofree char *batch = g_strdup_printf ("%d年度%s", g->year,
                                            strcmp (level, "village") == 0 ? "村级评选" : "乡镇（街道）级评选");
  g_autofree char *id = NULL;
  g_autofree char *start_text = NULL;
  g_autofree char *certificate = NULL;
  JsonObject *step;
  GDate start;
  double r = g_rand_double (g->rand);
  guint first = strcmp (level, "village") == 0 ? 120 : 240;

  *awarded = FALSE;
  json_object_set_string_member (fields, "org_unit", h->village);
  json_object_set_string_member (fields, "household", h->id);
  json_object_set_string_member (fields, "family_name", family);
  json_object_set_string_member (fields, "award_type", t->code);
  json_object_set_string_member (fields, "level", level);
  json_object_set_int_member (fields, "year", g->year);
  json_object_set_string_member (fields, "batch", batch);
  json_object_set_string_member (fields, "deeds", deeds);
  json_object_set_string_member (fields, "nominated_by", nominator);
  json_object_set_string_member (fields, "state", "nominated");

  id = put_reviewed (g, "award", fields, FATE_APPROVED, error);
  if (id == NULL)
    return FALSE;
  g->n_awards++;

  if (r < 0.04)
    return TRUE;   /* still nominated */
  if (!set_string (g, "award", id, "state", "under_review", error))
    return FALSE;
  if (r < 0.08)
    {
      step = json_object_new ();
      json_object_set_string_member (step, "state", "declined");
      json_object_set_string_member (step, "decline_reason", "事迹材料不够充分，建议下一年度再推荐");
      return update (g, "award", id, step, error);
    }

  /* A signed-in store's changes reach a server, which judges a notice by
   * the day it is put up (the change's stamp, which is today): there the
   * awards go on notice today, and none is granted yet. */
  if (g->notices_today)
    return set_string (g, "award", id, "state", "public_notice", error);

  /* The notice must be over before the award: keep it well in the past,
   * put up on the day it starts. */
  random_day (g, first, MAX (first, g->n_days > 20 ? g->n_days - 20 : 0), &start);
  start_text = date_text (&start);
  step = json_object_new ();
  json_object_set_string_member (step, "state", "public_notice");
  json_object_set_string_member (step, "notice_start", start_text);
  if (!update_on_day (g, "award", id, step, &start, error))
    return FALSE;
  /* Granted only once the notice is over (two weeks cover it). */
  if (r < 0.1 || index_of_day (g, &start) + 14 >= g->n_days)
    return TRUE;   /* on notice */

  certificate = g_strdup_printf ("%s妇〔%d〕%05u", g->county_short, g->year, ++g->certificate_seq);
  step = json_object_new ();
  json_object_set_string_member (step, "state", "awarded");
  json_object_set_string_member (step, "certificate_no", certificate);
  if (!update (g, "award", id, step, error))
    return FALSE;
  *awarded = TRUE;
  return TRUE;
}

static gboolean
make_village_awards (Gen         *g,
                     Village     *v,
                     GError     **error)
{
  g_autofree char *nominator = g_strconcat (v->short_name, "妇联", NULL);
  guint target = MAX (1, v->n_households / 60);
  guint made = 0;

  for (guint i = 0; i < v->n_households && made < target; i++)
    {
      Household *h = &g_array_index (g->households, Household, v->first_household + i);
      const AwardTemplate *t;
      gboolean awarded;

      if (!h->approved || !h->consent || !chance (g, 0.08))
        continue;
      t = pick_award (g);
      if (!make_award (g, h, t, "village", nominator, &awarded, error))
        return FALSE;
      if (awarded)
        h->village_award = g_strdup (t->code);
      made++;
    }
  return TRUE;
}

/* ---- a village ------------------------------------------------------- */

static gboolean
make_village (Gen      *g,
              Village  *v,
              GError  **error)
{
  g_autoptr(GPtrArray) service_activities = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *chair = person_name (g, NULL, TRUE);   /* 村妇联主席: records and inspects */
  guint n_activities = (guint) rand_int (g, 8, 16);

  if (!make_households (g, v, error))
    return FALSE;

  for (guint i = 0; i < n_activities; i++)
    {
      const ActivityTemplate *t = &village_activities[rand_int (g, 0, G_N_ELEMENTS (village_activities) - 1)];
      g_autofree char *category = NULL;
      char *id = make_activity (g, v->code, v->short_name, t, FALSE, &category, error);

      if (id == NULL)
        return FALSE;
      if (strcmp (category, "volunteer_service") == 0)
        g_ptr_array_add (service_activities, id);
      else
        g_free (id);
    }

  return make_volunteers (g, v, chair, service_activities, error) &&
         make_village_inspections (g, v, chair, error) &&
         make_village_awards (g, v, error);
}

/* ---- a township ------------------------------------------------------ */

static gboolean
make_township (Gen         *g,
               const char  *code,
               const char  *name,
               GError     **error)
{
  g_autofree char *inspector = person_name (g, NULL, TRUE);
  g_autofree char *nominator = g_strconcat (name, "妇联", NULL);
  guint n_activities = (guint) rand_int (g, 6, 12);

  for (guint i = 0; i < n_activities; i++)
    {
      const ActivityTemplate *t = &township_activities[rand_int (g, 0, G_N_ELEMENTS (township_activities) - 1)];
      g_autofree char *id = make_activity (g, code, name, t, TRUE, NULL, error);

      if (id == NULL)
        return FALSE;
    }

  for (guint i = 0; i < g->households->len; i++)
    {
      Household *h = &g_array_index (g->households, Household, i);
      if (!g_str_has_prefix (h->village, code))
        continue;

      /* 复核: the township re-inspects village demonstration households. */
      if (h->village_designated && chance (g, 0.6))
        {
          g_autofree char *id = NULL;
          Score score;
          GDate d;
          double quality = h->quality + rand_normal (g, 0.03);

          quality = CLAMP (quality, 0.0, 1.0);
          /* After the village title: the ladder needs it held by then. */
          id = make_inspection (g, h, "township", quality, MAX (300, h->village_valid_from),
                                g->n_days - 1, inspector,
                                FATE_APPROVED, &score, &d, error);
          if (id == NULL)
            return FALSE;
          if (qualifies (&score, 90) && chance (g, 0.7) &&
              !make_designation (g, h, "township", id, &d, NULL, error))
            return FALSE;
        }

      /* The ladder: a family awarded in its village may go one level up. */
      if (h->village_award != NULL && chance (g, 0.3))
        {
          gboolean awarded;

          for (guint k = 0; k < G_N_ELEMENTS (awards); k++)
            if (strcmp (awards[k].code, h->village_award) == 0 &&
                !make_award (g, h, &awards[k], "township", nominator, &awarded, error))
              return FALSE;
        }
    }
  return TRUE;
}

/* ---- set-up ---------------------------------------------------------- */

static void
report (Gen        *g,
        double      fraction,
        const char *message)
{
  if (g->progress)
    g->progress (CLAMP (fraction, 0.0, 1.0), message, g->progress_data);
}

static gboolean
choose_villages (Gen         *g,
                 guint        households,
                 GError     **error)
{
  g_autoptr(JsonObject) county = NULL;
  g_autoptr(JsonArray) all = NULL;
  const char *path;
  guint n_all, n;
  double *weights, sum = 0;
  guint given = 0;

  if (g->county == NULL)
    {
      g_autoptr(JsonArray) counties = jg_org_units_list_level (g->store, NULL, "county", error);

      if (counties == NULL)
        return FALSE;
      if (json_array_get_length (counties) == 0)
        {
          g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("The store has no county to fill with demo data"));
          return FALSE;
        }
      g->county = g_strdup (json_object_get_string_member (json_array_get_object_element (counties, 0), "code"));
    }
  county = jg_org_units_lookup (g->store, g->county, error);
  if (county == NULL)
    return FALSE;
  if (strcmp (json_object_get_string_member (county, "level"), "county") != 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_INVALID, _("%s is not a county"), g->county);
      return FALSE;
    }
  g_free (g->county);
  g->county = g_strdup (json_object_get_string_member (county, "code"));
  {
    const char *cname = json_object_get_string_member (county, "name");
    glong len = g_utf8_strlen (cname, -1);

    /* 临海市 → 临海, for plaque and certificate numbers */
    g->county_short = len > 2 ? g_utf8_substring (cname, 0, len - 1) : g_strdup (cname);
  }

  path = json_object_get_string_member (county, "path");
  all = jg_org_units_list_level (g->store, path, "village", error);
  if (all == NULL)
    return FALSE;
  n_all = json_array_get_length (all);
  if (n_all == 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_NOT_FOUND, _("The county %s has no villages in the store"), g->county);
      return FALSE;
    }

  /* About 50 households a village in the small demo; at county scale every
   * village, each of its own size. */
  n = MIN (n_all, MAX (1, (households + HOUSEHOLDS_PER_VILLAGE_SMALL - 1) / HOUSEHOLDS_PER_VILLAGE_SMALL));
  n = MIN (n, households);
  weights = g_new (double, n);
  for (guint i = 0; i < n; i++)
    {
      weights[i] = 0.6 + 0.8 * g_rand_double (g->rand);
      sum += weights[i];
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *unit = json_array_get_object_element (all, (guint) (((guint64) i * n_all) / n));
      Village *v = g_new0 (Village, 1);

      v->code = g_strdup (json_object_get_string_member (unit, "code"));
      v->name = g_strdup (json_object_get_string_member (unit, "name"));
      v->short_name = village_short_name (v->name);
      v->township = g_strndup (v->code, 9);
      v->first_household = given;
      v->n_households = i + 1 == n ? households - given
                                   : MAX (1, (guint) floor (households * weights[i] / sum));
      if (given + v->n_households > households - (n - i - 1))
        v->n_households = households - given - (n - i - 1);
      given += v->n_households;
      g_ptr_array_add (g->villages, v);
    }
  g_free (weights);
  g_array_set_size (g->households, households);
  return TRUE;
}

static gboolean
delete_meta (JgStore     *store,
             const char  *key,
             GError     **error)
{
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, "DELETE FROM meta WHERE key = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return jg_store_sqlite_error (store, error);
  return TRUE;
}

static gboolean
restore_meta (JgStore     *store,
              const char  *key,
              const char  *value,
              GError     **error)
{
  return value ? jg_store_set_meta (store, key, value, error) : delete_meta (store, key, error);
}

/* PRAGMA cache_size and temp_store, read and set back as they were. */
static gint64
get_pragma (JgStore    *store,
            const char *name)
{
  g_autofree char *sql = g_strconcat ("PRAGMA ", name, NULL);
  g_autoptr(JgStmt) stmt = jg_store_prepare (store, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int64 (stmt, 0);
}

static void
set_pragma (JgStore    *store,
            const char *name,
            gint64      value)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA %s = %" PRId64, name, value);

  /* Hints only: without them the generator is slower, not wrong. */
  jg_store_exec (store, sql, NULL);
}

static gboolean
generate (Gen      *g,
          GError  **error)
{
  g_autoptr(GPtrArray) townships = g_ptr_array_new_with_free_func (g_free);
  guint n_villages = g->villages->len;

  for (guint i = 0; i < n_villages; i++)
    {
      Village *v = g->villages->pdata[i];
      g_autofree char *message = g_strdup_printf (_("Making %s"), v->name);

      report (g, 0.9 * i / n_villages, message);
      if (!batch_checkpoint (g, error) || !make_village (g, v, error))
        return FALSE;
      if (townships->len == 0 || strcmp (townships->pdata[townships->len - 1], v->township) != 0)
        g_ptr_array_add (townships, g_strdup (v->township));
    }

  for (guint i = 0; i < townships->len; i++)
    {
      g_autoptr(JsonObject) unit = jg_org_units_lookup (g->store, townships->pdata[i], error);
      g_autofree char *message = NULL;

      if (unit == NULL)
        return FALSE;
      message = g_strdup_printf (_("Making %s"), json_object_get_string_member (unit, "name"));
      report (g, 0.9 + 0.1 * i / townships->len, message);
      if (!batch_checkpoint (g, error) ||
          !make_township (g, townships->pdata[i], json_object_get_string_member (unit, "name"), error))
        return FALSE;
    }
  return TRUE;
}

static JsonObject *
summary (Gen    *g,
         double  seconds,
         guint32 seed)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "county", g->county);
  json_object_set_int_member (o, "year", g->year);
  json_object_set_int_member (o, "seed", seed);
  json_object_set_int_member (o, "villages", g->villages->len);
  json_object_set_int_member (o, "households", g->n_households);
  json_object_set_int_member (o, "activities", g->n_activities);
  json_object_set_int_member (o, "volunteers", g->n_volunteers);
  json_object_set_int_member (o, "service_entries", g->n_service_entries);
  json_object_set_int_member (o, "redemptions", g->n_redemptions);
  json_object_set_int_member (o, "inspections", g->n_inspections);
  json_object_set_int_member (o, "designations", g->n_designations);
  json_object_set_int_member (o, "awards", g->n_awards);
  json_object_set_int_member (o, "writes", (gint64) g->puts);
  json_object_set_int_member (o, "milliseconds", (gint64) round (seconds * 1000));
  json_object_set_int_member (o, "writes_per_second", seconds > 0 ? (gint64) round (g->puts / seconds) : 0);
  return o;
}

/**
 * jg_demo_generate:
 * @store: the store to fill
 * @options: (nullable): sizes and the seed; %NULL for the small demo
 * @cancellable: (nullable): checked between villages
 * @progress: (nullable): told what is being made
 *
 * Makes a year of believable records on the org units of @store (importing
 * the built-in slice first when it has none).
 *
 * Returns: (transfer full): a summary: counts per record type, the number
 *   of writes, the seconds taken and the write rate; %NULL on an error,
 *   with the current batch rolled back.
 */
JsonObject *
jg_demo_generate (JgStore             *store,
                  const JgDemoOptions *options,
                  GCancellable        *cancellable,
                  JgDemoProgressFunc   progress,
                  gpointer             progress_data,
                  GError             **error)
{
  JgDemoOptions defaults = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *saved_role = NULL;
  g_autofree char *saved_unit = NULL;
  g_autoptr(GError) restore_error = NULL;
  JsonObject *result = NULL;
  gint64 started = g_get_monotonic_time ();
  gint64 saved_cache = 0;
  gint64 saved_temp_store = 0;
  guint households;
  gboolean ok;
  GDate last;
  Gen g = { 0 };

  g_return_val_if_fail (JG_IS_STORE (store), NULL);

  if (options == NULL)
    options = &defaults;
  households = options->households ? options->households : JG_DEMO_SMALL_HOUSEHOLDS;

  g.store = store;
  g.cancellable = cancellable;
  g.progress = progress;
  g.progress_data = progress_data;
  g.batch_size = options->batch_size ? options->batch_size : DEFAULT_BATCH_SIZE;
  g.year = options->year ? options->year : g_date_time_get_year (now) - 1;
  if (g.year < 2000 || g.year > g_date_time_get_year (now))
    {
      g_set_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE,
                   _("The demo year must be between 2000 and this year"));
      return NULL;
    }

  /* Records of this year stop yesterday: nothing is dated in the future. */
  g_date_clear (&g.first_day, 1);
  g_date_set_dmy (&g.first_day, 1, G_DATE_JANUARY, (GDateYear) g.year);
  g_date_clear (&last, 1);
  g_date_set_dmy (&last, 31, G_DATE_DECEMBER, (GDateYear) g.year);
  {
    GDate yesterday;

    g_date_clear (&yesterday, 1);
    g_date_set_dmy (&yesterday, (GDateDay) g_date_time_get_day_of_month (now),
                    (GDateMonth) g_date_time_get_month (now), (GDateYear) g_date_time_get_year (now));
    g_date_subtract_days (&yesterday, 1);
    if (g_date_compare (&yesterday, &last) < 0)
      last = yesterday;
  }
  if (g_date_compare (&last, &g.first_day) < 0)
    {
      g_set_error (error, JG_ERROR, JG_ERROR_OUT_OF_RANGE,
                   _("The demo year has no days in the past yet"));
      return NULL;
    }
  g.n_days = (guint) g_date_days_between (&g.first_day, &last) + 1;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  if (jg_org_units_count (store, NULL) == 0)
    {
      report (&g, 0.0, _("Importing the built-in org units"));
      if (!jg_org_units_import_builtin (store, cancellable, NULL, NULL, error))
        return NULL;
    }

  g.rand = g_rand_new_with_seed (options->seed);
  g.county = g_strdup (options->county);
  g.villages = g_ptr_array_new_with_free_func (village_free);
  g.households = g_array_new (FALSE, TRUE, sizeof (Household));
  g_array_set_clear_func (g.households, household_clear);

  if (!choose_villages (&g, households, error))
    goto out;

  /* Approvals need a reviewer above the villages: act as the county. */
  saved_role = jg_store_dup_meta (store, "role");
  saved_unit = jg_store_dup_meta (store, "org_unit");
  g.notices_today = options->for_server || (saved_role != NULL && *saved_role != '\0');
  if (!jg_store_set_meta (store, "role", "county_admin", error) ||
      !jg_store_set_meta (store, "org_unit", g.county, error))
    goto restore;

  /* Every put is a savepoint inside the batch: keep its statement journal
   * in memory rather than in a temporary file, and the batch's pages in a
   * larger cache.  The connection's own settings come back afterwards. */
  saved_cache = get_pragma (store, "cache_size");
  saved_temp_store = get_pragma (store, "temp_store");
  set_pragma (store, "cache_size", BATCH_CACHE_KIB);
  set_pragma (store, "temp_store", 2 /* MEMORY */);

  if (!batch_begin (&g, error))
    goto restore;
  ok = generate (&g, error);
  if (ok)
    ok = batch_commit (&g, error);
  else if (g.in_batch)
    jg_store_rollback (store);
  /* Marked, so that the app never offers to send made-up households to
   * a county server (jg_store_sync_status(): "demo"). */
  if (ok)
    ok = jg_store_set_meta (store, "demo", "1", error);
  if (ok)
    {
      report (&g, 1.0, _("Demo data made"));
      result = summary (&g, (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC, options->seed);
    }

restore:
  if (saved_cache != 0)
    set_pragma (store, "cache_size", saved_cache);
  set_pragma (store, "temp_store", saved_temp_store);
  if (!restore_meta (store, "role", saved_role, &restore_error) ||
      !restore_meta (store, "org_unit", saved_unit, &restore_error))
    {
      g_clear_pointer (&result, json_object_unref);
      if (error && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&restore_error));
    }

out:
  g_clear_pointer (&g.rand, g_rand_free);
  g_clear_pointer (&g.villages, g_ptr_array_unref);
  g_clear_pointer (&g.households, g_array_unref);
  g_free (g.county);
  g_free (g.county_short);
  return result;
}
