/* jg-stats.h: the figures of an annual work report, per org unit
 *
 * "开展活动X场，受益X人次": what a federation reports every year, counted in
 * the store with one grouped query per figure, never record by record, so
 * that the desktop app's overview and jinguo-cli's "stats" give the same
 * numbers for a county of 200,000 households.  Also a volunteer's time-bank
 * balance in full, as both front ends show it.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-store.h"

G_BEGIN_DECLS

/**
 * jg_stats_compute:
 * @org_code: (nullable): a division code, short or padded; %NULL for the
 *   store's own unit (its "org_unit" meta), or else the county of the
 *   built-in slice
 * @year: the calendar year; 0 for this year (China time)
 *
 * Returns: (transfer full): {"year", "unit", "children", "own"}: the
 *   unit's figures for its whole subtree, the same figures for each unit
 *   directly below it (the townships of a county, the villages of a
 *   township) and, when the unit has units below it and records of its own
 *   (recorded at the township itself: 本级), "own": the figures of those
 *   records, with the unit's code and name, so that the rows of a report
 *   add up to its total (but for awards.families: a family holding awards
 *   in two rows is one family of the unit).  No "own" when there are none.
 *   %NULL with %JG_ERROR_NOT_FOUND when the unit is not in the store.
 */
JsonObject *jg_stats_compute           (JgStore     *store,
                                        const char  *org_code,
                                        int          year,
                                        GError     **error);

/**
 * jg_stats_volunteer_balance:
 *
 * Returns: (transfer full): the volunteer's balance in minutes: approved
 *   service, pending (submitted, awaiting approval), reversed (approved
 *   service cancelled by reversing entries), redeemed (accepted
 *   redemptions), pending_redemptions, available, with lifetime approved
 *   hours and the star level.  available = approved − reversed − redeemed
 *   − pending_redemptions, never below zero.  %NULL with
 *   %JG_ERROR_NOT_FOUND when there is no such volunteer.
 */
JsonObject *jg_stats_volunteer_balance (JgStore     *store,
                                        const char  *volunteer_id,
                                        GError     **error);

G_END_DECLS
