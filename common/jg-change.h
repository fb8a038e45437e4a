/* jg-change.h: one field change, and a bundle of them (the sync wire format) */
#pragma once

#include <json-glib/json-glib.h>

#include "jg-json.h"
#include "jg-json-writer.h"

G_BEGIN_DECLS

/* Version of the change format on the wire and in bundles. */
#define JG_PROTOCOL_VERSION 1
#define JG_BUNDLE_FORMAT "jinguo-changes"

typedef struct
{
  char   *replica;   /* the store that made the change (32 hex digits) */
  gint64  counter;   /* per-replica sequence, from 1 */
  char   *entity;
  char   *record;    /* UUID */
  char   *field;
  char   *value;     /* canonical JSON text of the new value */
  gint64  hlc;       /* when, as a hybrid logical clock stamp */
  gint64  base;      /* stamp of the field version the author saw (0: none) */
  gint64  rbase;     /* newest stamp of any field of the record the author saw */
  char   *author;    /* username */
  gint64  seq;       /* order in the exporting store (local seq or server_seq) */
} JgChange;

#define JG_TYPE_CHANGE (jg_change_get_type ())

GType       jg_change_get_type       (void) G_GNUC_CONST;
JgChange   *jg_change_new            (void);
JgChange   *jg_change_copy           (const JgChange *change);
void        jg_change_free           (JgChange       *change);
char       *jg_change_dup_id         (const JgChange *change);
JsonNode   *jg_change_to_json        (const JgChange *change);
void        jg_change_write          (const JgChange *change,
                                      JgJsonWriter   *w);
JgChange   *jg_change_from_json      (JsonNode       *node,
                                      GError        **error);
gboolean    jg_change_read_usual     (JgJsonReader   *r,
                                      JgChange      **out,
                                      GError        **error);

/* A bundle: {"format", "protocol", "replica", "last_seq", "changes": […]} */
JsonNode   *jg_bundle_build          (const char     *replica,
                                      gint64          last_seq,
                                      GPtrArray      *changes);
GPtrArray  *jg_bundle_parse          (JsonNode       *root,
                                      gint64         *last_seq_out,
                                      GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JgChange, jg_change_free)

G_END_DECLS
