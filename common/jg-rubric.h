/* jg-rubric.h: the courtyard rubric: scoring inspections, designations
 *
 * The rubric (美丽庭院“四美”) is data: data/rubric/four-beauty-v1.json is
 * built in, and a county may add its own versions (JINGUO_RUBRIC_FILE, or
 * jg_rubric_register()).  Every version stays loaded under (id, version), so
 * an inspection is always scored with the version it names.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-entity.h"
#include "jg-store.h"

G_BEGIN_DECLS

#define JG_RUBRIC_DEFAULT_ID "four-beauty"

/* A section, an item or a veto item of a rubric.  Owned by the rubric;
 * a veto item's max is 0. */
typedef struct
{
  const char *code;
  const char *label;
  const char *label_zh;
  double      max;
} JgRubricEntry;

#define JG_TYPE_RUBRIC (jg_rubric_get_type ())
G_DECLARE_FINAL_TYPE (JgRubric, jg_rubric, JG, RUBRIC, GObject)

JgRubric            *jg_rubric_new_from_data           (const char   *data,
                                                        gssize        length,
                                                        GError      **error);
JgRubric            *jg_rubric_new_from_file           (const char   *path,
                                                        GError      **error);

/* The registry of loaded versions. */
JgRubric            *jg_rubric_lookup                  (const char   *id,
                                                        gint64        version,
                                                        GError      **error);
gboolean             jg_rubric_register                (JgRubric     *rubric,
                                                        GError      **error);

const char          *jg_rubric_get_id                  (JgRubric     *self);
gint64               jg_rubric_get_version             (JgRubric     *self);
const char          *jg_rubric_get_label               (JgRubric     *self,
                                                        gboolean      chinese);
double               jg_rubric_get_max_total           (JgRubric     *self);

guint                jg_rubric_get_n_sections          (JgRubric     *self);
const JgRubricEntry *jg_rubric_get_section             (JgRubric     *self,
                                                        guint         section);
guint                jg_rubric_get_n_items             (JgRubric     *self,
                                                        guint         section);
const JgRubricEntry *jg_rubric_get_item                (JgRubric     *self,
                                                        guint         section,
                                                        guint         item);
const JgRubricEntry *jg_rubric_find_item               (JgRubric     *self,
                                                        const char   *code,
                                                        guint        *section_out);
guint                jg_rubric_get_n_vetoes            (JgRubric     *self);
const JgRubricEntry *jg_rubric_get_veto                (JgRubric     *self,
                                                        guint         veto);

double               jg_rubric_get_pass_mark           (JgRubric     *self);
guint                jg_rubric_get_n_stars             (JgRubric     *self);
double               jg_rubric_get_star_threshold      (JgRubric     *self,
                                                        guint         star);
guint                jg_rubric_get_section_min_percent (JgRubric     *self);
gboolean             jg_rubric_get_designation_min     (JgRubric     *self,
                                                        const char   *level,
                                                        double       *min_total);
gboolean             jg_rubric_get_level_below_first   (JgRubric     *self);

gboolean             jg_rubric_score                   (JgRubric     *self,
                                                        JsonObject   *item_scores,
                                                        JsonArray    *veto_hits,
                                                        double       *total,
                                                        JsonObject  **section_totals,
                                                        int          *star,
                                                        gboolean     *passed,
                                                        GError      **error);

/* Designations (DOMAIN.md): the level below must be granted (approved),
 * active and in force on @date; above village, only the reviewers of a
 * federation at that level or higher grant (create or approve) one; a
 * granted one's content is never changed.  Each fails naming the field;
 * the server asks the same of pushed changes. */
gboolean             jg_rubric_check_level_below       (JgStore     *store,
                                                        const char  *household,
                                                        const char  *level,
                                                        const char  *date,
                                                        GError     **error);
gboolean             jg_rubric_check_granter           (const char  *level,
                                                        const char  *role,
                                                        const char  *actor_unit,
                                                        GError     **error);
gboolean             jg_rubric_check_granted_field     (const char  *stored_review_state,
                                                        const char  *field,
                                                        GError     **error);

/* Where a designation stands on a day, as jg_rubric_designation_coverage()
 * and the level-below rule see it: only a granted (approved), unrevoked
 * one within its dates is in force. */
typedef enum
{
  JG_DESIGNATION_NOT_GRANTED,   /* a draft, submitted or returned: not yet a title */
  JG_DESIGNATION_IN_FORCE,
  JG_DESIGNATION_NOT_YET,       /* granted, valid_from after the day */
  JG_DESIGNATION_EXPIRED,       /* granted, valid_to before the day */
  JG_DESIGNATION_REVOKED,       /* 摘牌 */
} JgDesignationStatus;

JgDesignationStatus  jg_rubric_designation_status      (JsonObject   *designation,
                                                        const char   *date);

gboolean             jg_rubric_designation_should_revoke (JgStore    *store,
                                                          const char *household_id,
                                                          const char *level,
                                                          char      **out_reason,
                                                          GError    **error);
gboolean             jg_rubric_designation_coverage    (JgStore      *store,
                                                        const char   *org_unit_path_prefix,
                                                        gint64       *designated,
                                                        gint64       *households,
                                                        GError      **error);

/* An inspection going to review (review_state → submitted) names its
 * inspectors, has an item scored above zero or a veto hit, and when it
 * did not pass, a rectification deadline (rectify_by): what a reviewer
 * needs.  @record is the inspection as it will be stored; its score is
 * derived again from its items (it may be amended).  Fails with
 * JG_ERROR_REQUIRED naming the field.  The write rule asks it, and the
 * server of a pushed review_state change. */
gboolean             jg_rubric_check_submit            (JsonObject   *record,
                                                        GError      **error);

/* An inspection's rubric, item_scores, section_totals or veto_hits as a person
 * reads them, under the rubric version the inspection names: each entry by
 * its label (Chinese when @chinese), a score with its maximum
 * ("庭院美 27/30；居室美 23/25").  NULL for another field, or a value that is
 * not of the field's shape. */
char    *jg_rubric_describe_field (JsonObject        *record,
                                   const char        *field,
                                   gboolean           chinese);

/* Called by jg_rules_check_write() inside the write transaction.
 * old_record is NULL for a new record; new_record may be amended. */
extern const char * const jg_rubric_derive_inputs[];
gboolean jg_rubric_derive      (JsonObject        *record);
gboolean jg_rubric_check_write (JgStore           *store,
                               const JgEntityDef *entity,
                               JsonObject        *old_record,
                               JsonObject        *new_record,
                               GError           **error);

G_END_DECLS
