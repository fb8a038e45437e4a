/* jg-test-fixture.h: what the tests of the domain rules share */
#pragma once

#include "jg-common.h"

G_BEGIN_DECLS

/* 2024-03-10T12:00:00+08:00, a Sunday. */
#define T_NOW ((gint64) 1710043200000)
#define DAY_MS ((gint64) 24 * 60 * 60 * 1000)

typedef struct
{
  char    *dir;
  JgStore *store;
  gint64   now_ms;
} JgTestFixture;

gint64      jg_test_fixed_clock       (gpointer       user_data);
void        jg_test_fixture_set_up    (JgTestFixture *f,
                                       gconstpointer  data);
void        jg_test_fixture_tear_down (JgTestFixture *f,
                                       gconstpointer  data);
JsonObject *jg_test_parse_object      (const char    *json);
char       *jg_test_put_ok            (JgTestFixture *f,
                                       const char    *entity,
                                       const char    *json);
void        jg_test_put_refused       (JgTestFixture *f,
                                       const char    *entity,
                                       const char    *json,
                                       JgErrorCode    code,
                                       const char    *field);
JsonObject *jg_test_get_record        (JgTestFixture *f,
                                       const char    *entity,
                                       const char    *id);
void        jg_test_set_actor         (JgTestFixture *f,
                                       const char    *username,
                                       const char    *role,
                                       const char    *org_unit);

#define ADD(path, func) \
  g_test_add (path, JgTestFixture, NULL, jg_test_fixture_set_up, func, jg_test_fixture_tear_down)

G_END_DECLS
