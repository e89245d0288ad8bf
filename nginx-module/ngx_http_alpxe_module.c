
/*
 * ngx_http_alpxe_module - answers iPXE's script request and tiny-cloud's
 * NoCloud documents
 *
 *     GET /pxe/<mac>/gpxe-script[?profile=<a menu's choice>]
 *     GET /pxe/gpxe-script?mac=<mac>
 *     GET /pxe/gpxe-script                 (no MAC: chain to the NIC's own)
 *     GET /pxe/<mac>/[<profile>/]meta-data, user-data, vendor-data,
 *         network-config
 *
 * from alpxe.conf.  The configuration is loaded by the alpxe core when nginx
 * reads its own configuration, with every host's script and documents
 * rendered in advance (a script kept as where it differs from its
 * profile's first), so a request is a parse, one lookup and a copy.  The core lives as long as the cycle that loaded
 * it.
 *
 * A broken alpxe.conf never stops nginx: not its start, not a reload made
 * for another site, not nginx -t (systemd runs it before both).  The core
 * keeps the last good version in a file (alpxe_last_good), which serves
 * instead; with none, the alpxe locations answer 503 until the file loads.
 * "alpxe_strict on" makes a broken file an error again.
 *
 * What a request got is in $alpxe_mac, $alpxe_host, $alpxe_profile and
 * $alpxe_result, for log_format, map and headers: the access log, whose
 * format the user chooses, is where a per-request line belongs (an
 * error_log line per request at info costs 16-24% of the requests served).
 */

#include <ngx_config.h>
#include <ngx_core.h>
#include <ngx_http.h>

#include <alpxe.h>


typedef struct {
    alpxe_config               *config;   /* NULL: nothing serves (503) */
    ngx_str_t                   file;
    ngx_str_t                   last_good;
    ngx_flag_t                  strict;
    ngx_uint_t                  used;     /* some location has "alpxe" */
} ngx_http_alpxe_main_conf_t;


/* What the handler decided, for the variables (NULL pointers: unset). */
typedef struct {
    alpxe_mac                   mac;
    ngx_uint_t                  have_mac;
    const alpxe_host           *host;     /* owned by the configuration */
    const char                 *profile;
    const char                 *result;   /* static text */
} ngx_http_alpxe_ctx_t;


typedef struct {
    ngx_conf_t                 *cf;
    ngx_uint_t                  errors;
    ngx_uint_t                  error_level;
} ngx_http_alpxe_diag_ctx_t;


static ngx_int_t ngx_http_alpxe_handler(ngx_http_request_t *r);
static ngx_int_t ngx_http_alpxe_request(ngx_http_request_t *r,
    alpxe_request *req);
static u_char *ngx_http_alpxe_below(ngx_http_request_t *r,
    ngx_uint_t *flags);
static ngx_uint_t ngx_http_alpxe_is_prefix(ngx_http_core_loc_conf_t *clcf);
static ngx_int_t ngx_http_alpxe_send(ngx_http_request_t *r,
    alpxe_script *script);
static ngx_int_t ngx_http_alpxe_result(ngx_http_request_t *r,
    const char *result, alpxe_request *req, alpxe_script *script);
static ngx_int_t ngx_http_alpxe_add_variables(ngx_conf_t *cf);
static ngx_int_t ngx_http_alpxe_variable(ngx_http_request_t *r,
    ngx_http_variable_value_t *v, uintptr_t data);
static void *ngx_http_alpxe_create_main_conf(ngx_conf_t *cf);
static char *ngx_http_alpxe_init_main_conf(ngx_conf_t *cf, void *conf);
static char *ngx_http_alpxe_config(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_alpxe_last_good(ngx_conf_t *cf, ngx_command_t *cmd,
    void *conf);
static char *ngx_http_alpxe(ngx_conf_t *cf, ngx_command_t *cmd, void *conf);
static ngx_int_t ngx_http_alpxe_load(ngx_conf_t *cf,
    ngx_http_alpxe_main_conf_t *amcf);
static void ngx_http_alpxe_diag(void *ctx, alpxe_severity severity,
    const char *file, unsigned line, const char *text);
static void ngx_http_alpxe_cleanup(void *data);


static ngx_command_t  ngx_http_alpxe_commands[] = {

    { ngx_string("alpxe_config"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_alpxe_config,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("alpxe_last_good"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_TAKE1,
      ngx_http_alpxe_last_good,
      NGX_HTTP_MAIN_CONF_OFFSET,
      0,
      NULL },

    { ngx_string("alpxe_strict"),
      NGX_HTTP_MAIN_CONF|NGX_CONF_FLAG,
      ngx_conf_set_flag_slot,
      NGX_HTTP_MAIN_CONF_OFFSET,
      offsetof(ngx_http_alpxe_main_conf_t, strict),
      NULL },

    { ngx_string("alpxe"),
      NGX_HTTP_LOC_CONF|NGX_CONF_NOARGS,
      ngx_http_alpxe,
      0,
      0,
      NULL },

      ngx_null_command
};


static ngx_http_module_t  ngx_http_alpxe_module_ctx = {
    ngx_http_alpxe_add_variables,          /* preconfiguration */
    NULL,                                  /* postconfiguration */

    ngx_http_alpxe_create_main_conf,       /* create main configuration */
    ngx_http_alpxe_init_main_conf,         /* init main configuration */

    NULL,                                  /* create server configuration */
    NULL,                                  /* merge server configuration */

    NULL,                                  /* create location configuration */
    NULL                                   /* merge location configuration */
};


ngx_module_t  ngx_http_alpxe_module = {
    NGX_MODULE_V1,
    &ngx_http_alpxe_module_ctx,            /* module context */
    ngx_http_alpxe_commands,               /* module directives */
    NGX_HTTP_MODULE,                       /* module type */
    NULL,                                  /* init master */
    NULL,                                  /* init module */
    NULL,                                  /* init process */
    NULL,                                  /* init thread */
    NULL,                                  /* exit thread */
    NULL,                                  /* exit process */
    NULL,                                  /* exit master */
    NGX_MODULE_V1_PADDING
};


static ngx_int_t
ngx_http_alpxe_handler(ngx_http_request_t *r)
{
    u_char                      *buf;
    char                         tmp[ALPXE_SCRIPT_MAX];
    ngx_int_t                    rc;
    alpxe_script                 script;
    alpxe_request                req;
    ngx_table_elt_t             *h;
    ngx_http_alpxe_main_conf_t  *amcf;

    if (!(r->method & (NGX_HTTP_GET|NGX_HTTP_HEAD))) {
        h = ngx_list_push(&r->headers_out.headers);
        if (h == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        h->hash = 1;
#if (nginx_version >= 1023000)
        h->next = NULL;
#endif
        ngx_str_set(&h->key, "Allow");
        ngx_str_set(&h->value, "GET, HEAD");

        if (ngx_http_alpxe_result(r, "bad-method", NULL, NULL) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return NGX_HTTP_NOT_ALLOWED;
    }

    rc = ngx_http_discard_request_body(r);

    if (rc != NGX_OK) {
        return rc;
    }

    rc = ngx_http_alpxe_request(r, &req);

    if (rc != NGX_OK) {
        if (ngx_http_alpxe_result(r, rc == NGX_HTTP_NOT_FOUND ? "not-script"
                                                              : "bad-mac",
                                  NULL, NULL)
            != NGX_OK)
        {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return rc;
    }

    amcf = ngx_http_get_module_main_conf(r, ngx_http_alpxe_module);

    if (amcf->config == NULL) {
        /* alpxe.conf never loaded: the error log said why at start */
        if (ngx_http_alpxe_result(r, "no-config", &req, NULL) != NGX_OK) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        return NGX_HTTP_SERVICE_UNAVAILABLE;
    }

    /*
     * One call, into a buffer on the stack that holds any script: what
     * the core wrote there is copied to the pool, what it points to (the
     * exit and chain scripts) is not.  A document longer than that says
     * what it needs, and gets it.
     */

    rc = alpxe_answer(amcf->config, &req, tmp, sizeof(tmp), &script);

    if (rc == 0 && script.text == tmp) {
        buf = ngx_pnalloc(r->pool, script.len);
        if (buf == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        ngx_memcpy(buf, tmp, script.len);
        script.text = (char *) buf;

    } else if (rc == -ENOSPC) {
        buf = ngx_pnalloc(r->pool, script.len);
        if (buf == NULL) {
            return NGX_HTTP_INTERNAL_SERVER_ERROR;
        }

        rc = alpxe_answer(amcf->config, &req, (char *) buf, script.len,
                          &script);
    }

    if (rc != 0) {
        ngx_log_error(NGX_LOG_ALERT, r->connection->log, 0,
                      "alpxe: nothing rendered (%d)", (int) rc);
        (void) ngx_http_alpxe_result(r, "error", &req, NULL);
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* a document or a menu's choice the machine does not get: 404 */

    if (ngx_http_alpxe_result(r, !req.have_mac ? "chain"
                                 : script.text == NULL
                                   && script.machine.action
                                      != ALPXE_ACTION_NONE
                                 ? "not-served"
                                 : alpxe_action_name(script.machine.action),
                              &req, &script)
        != NGX_OK)
    {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    if (script.text == NULL) {
        return NGX_HTTP_NOT_FOUND;
    }

    return ngx_http_alpxe_send(r, &script);
}


/*
 * What a request asks for, read by the core from r->uri (percent-decoded)
 * and r->args (not).  Here only what nginx knows: where the location puts
 * the part of the URI below it.  Returns NGX_OK, NGX_HTTP_NOT_FOUND for
 * any URI alpxe serves nothing at, NGX_HTTP_BAD_REQUEST for a malformed
 * MAC or query.
 */

static ngx_int_t
ngx_http_alpxe_request(ngx_http_request_t *r, alpxe_request *req)
{
    int         rc;
    u_char     *p, *last;
    ngx_uint_t  flags;

    last = r->uri.data + r->uri.len;

    p = ngx_http_alpxe_below(r, &flags);

    if (p == NULL) {
        return NGX_HTTP_NOT_FOUND;
    }

    rc = alpxe_request_parse((const char *) p, last - p,
                             (const char *) r->args.data, r->args.len,
                             (unsigned) flags, req);

    if (rc == 0) {
        return NGX_OK;
    }

    if (rc == -ENOENT) {
        return NGX_HTTP_NOT_FOUND;
    }

    return NGX_HTTP_BAD_REQUEST;
}


/*
 * Where the part of r->uri below the location starts.  In a prefix
 * location it is what follows the prefix (NULL if the URI does not continue
 * with a segment of its own).  A regular expression, exact or named
 * location says nothing about it: the whole URI is given to the core,
 * which reads only its end (ALPXE_REQUEST_TAIL).
 */

static u_char *
ngx_http_alpxe_below(ngx_http_request_t *r, ngx_uint_t *flags)
{
    u_char                    *p, *start, *last;
    ngx_str_t                 *prefix;
    ngx_http_core_loc_conf_t  *clcf;

    clcf = ngx_http_get_module_loc_conf(r, ngx_http_core_module);

    start = r->uri.data;
    last = start + r->uri.len;
    prefix = &clcf->name;

    *flags = 0;

    if (ngx_http_alpxe_is_prefix(clcf)
        && r->uri.len >= prefix->len
        && ngx_memcmp(start, prefix->data, prefix->len) == 0)
    {
        p = start + prefix->len;

        if (prefix->len && prefix->data[prefix->len - 1] == '/') {
            return p;
        }

        if (p == last || *p != '/') {
            return NULL;
        }

        return p + 1;
    }

    *flags = ALPXE_REQUEST_TAIL;

    return start;
}


static ngx_uint_t
ngx_http_alpxe_is_prefix(ngx_http_core_loc_conf_t *clcf)
{
    if (clcf->named || clcf->exact_match) {
        return 0;
    }

#if (NGX_PCRE)
    if (clcf->regex) {
        return 0;
    }
#endif

    return 1;
}


static ngx_int_t
ngx_http_alpxe_send(ngx_http_request_t *r, alpxe_script *script)
{
    ngx_int_t         rc;
    ngx_buf_t        *b;
    ngx_chain_t       out;
    ngx_table_elt_t  *h;

    h = ngx_list_push(&r->headers_out.headers);
    if (h == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    h->hash = 1;
#if (nginx_version >= 1023000)
    h->next = NULL;
#endif
    ngx_str_set(&h->key, "Cache-Control");
    ngx_str_set(&h->value, "no-store");

    r->headers_out.content_type_len = sizeof("text/plain") - 1;
    ngx_str_set(&r->headers_out.content_type, "text/plain");
    r->headers_out.content_type_lowcase = NULL;

    r->headers_out.status = NGX_HTTP_OK;
    r->headers_out.content_length_n = script->len;

    /*
     * A script is rendered per request and never stored: If-None-Match: *
     * would get 304 with nothing to reuse, If-Match 412.  Always 200.
     */

    r->disable_not_modified = 1;

    rc = ngx_http_send_header(r);

    if (rc == NGX_ERROR || rc > NGX_OK || r->header_only) {
        return rc;
    }

    b = ngx_calloc_buf(r->pool);
    if (b == NULL) {
        return NGX_HTTP_INTERNAL_SERVER_ERROR;
    }

    /* the text belongs to the configuration or to r->pool: no copy */

    b->pos = (u_char *) script->text;
    b->last = b->pos + script->len;
    b->memory = script->len ? 1 : 0;
    b->last_buf = (r == r->main) ? 1 : 0;
    b->last_in_chain = 1;

    out.buf = b;
    out.next = NULL;

    return ngx_http_output_filter(r, &out);
}


/*
 * Keep what the request got for $alpxe_mac, $alpxe_host, $alpxe_profile and
 * $alpxe_result.  result: "boot", "exit", "menu", "none" (the core's
 * action), "chain" (no MAC: the chain script), or why nothing was served:
 * "not-served" (a document or choice the machine does not get),
 * "bad-method", "not-script", "bad-mac", "no-config", "error".  Nothing is
 * formatted here: a variable is made only when the access log, a map or a
 * header asks for it.
 */

static ngx_int_t
ngx_http_alpxe_result(ngx_http_request_t *r, const char *result,
    alpxe_request *req, alpxe_script *script)
{
    ngx_http_alpxe_ctx_t  *ctx;

    ctx = ngx_pcalloc(r->pool, sizeof(ngx_http_alpxe_ctx_t));
    if (ctx == NULL) {
        return NGX_ERROR;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     ctx->have_mac = 0;
     *     ctx->host = NULL;
     *     ctx->profile = NULL;
     */

    ctx->result = result;

    if (req && req->have_mac) {
        ctx->mac = req->mac;
        ctx->have_mac = 1;
    }

    if (script) {
        /* its name is read only if asked for: with 100k hosts the
         * host's record is a cache miss */
        ctx->host = script->machine.host;
        ctx->profile = script->machine.profile;
    }

    ngx_http_set_ctx(r, ctx, ngx_http_alpxe_module);

    return NGX_OK;
}


static ngx_http_variable_t  ngx_http_alpxe_vars[] = {

    { ngx_string("alpxe_mac"), NULL, ngx_http_alpxe_variable,
      0, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("alpxe_host"), NULL, ngx_http_alpxe_variable,
      1, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("alpxe_profile"), NULL, ngx_http_alpxe_variable,
      2, NGX_HTTP_VAR_NOCACHEABLE, 0 },

    { ngx_string("alpxe_result"), NULL, ngx_http_alpxe_variable,
      3, NGX_HTTP_VAR_NOCACHEABLE, 0 },

      ngx_http_null_variable
};


static ngx_int_t
ngx_http_alpxe_add_variables(ngx_conf_t *cf)
{
    ngx_http_variable_t  *var, *v;

    for (v = ngx_http_alpxe_vars; v->name.len; v++) {
        var = ngx_http_add_variable(cf, &v->name, v->flags);
        if (var == NULL) {
            return NGX_ERROR;
        }

        var->get_handler = v->get_handler;
        var->data = v->data;
    }

    return NGX_OK;
}


/*
 * data: 0 the MAC ("52:54:00:12:34:56"), 1 the host, 2 the profile, 3 the
 * result.  Not found (logged as "-") for a request the module did not
 * answer, and for what its answer has not: the host of an unknown MAC,
 * the profile of a machine that does not boot one.
 */

static ngx_int_t
ngx_http_alpxe_variable(ngx_http_request_t *r, ngx_http_variable_value_t *v,
    uintptr_t data)
{
    u_char                *p;
    const char            *text;
    ngx_http_alpxe_ctx_t  *ctx;

    ctx = ngx_http_get_module_ctx(r, ngx_http_alpxe_module);

    if (ctx == NULL) {
        v->not_found = 1;
        return NGX_OK;
    }

    if (data == 0) {
        if (!ctx->have_mac) {
            v->not_found = 1;
            return NGX_OK;
        }

        p = ngx_pnalloc(r->pool, ALPXE_MAC_STR);
        if (p == NULL) {
            return NGX_ERROR;
        }

        alpxe_mac_format(&ctx->mac, ':', (char *) p);

        v->len = ALPXE_MAC_STR - 1;
        v->data = p;

    } else {
        text = data == 1 ? (ctx->host ? alpxe_host_name(ctx->host) : NULL)
               : data == 2 ? ctx->profile : ctx->result;

        if (text == NULL) {
            v->not_found = 1;
            return NGX_OK;
        }

        v->len = ngx_strlen(text);
        v->data = (u_char *) text;
    }

    v->valid = 1;
    v->no_cacheable = 0;
    v->not_found = 0;

    return NGX_OK;
}


static void *
ngx_http_alpxe_create_main_conf(ngx_conf_t *cf)
{
    ngx_pool_cleanup_t          *cln;
    ngx_http_alpxe_main_conf_t  *amcf;

    amcf = ngx_pcalloc(cf->pool, sizeof(ngx_http_alpxe_main_conf_t));
    if (amcf == NULL) {
        return NULL;
    }

    /*
     * set by ngx_pcalloc():
     *
     *     amcf->config = NULL;
     *     amcf->file = { 0, NULL };
     *     amcf->last_good = { 0, NULL };
     *     amcf->used = 0;
     */

    amcf->strict = NGX_CONF_UNSET;

    /* the configuration lives and dies with the cycle's pool */

    cln = ngx_pool_cleanup_add(cf->pool, 0);
    if (cln == NULL) {
        return NULL;
    }

    cln->handler = ngx_http_alpxe_cleanup;
    cln->data = amcf;

    return amcf;
}


static char *
ngx_http_alpxe_init_main_conf(ngx_conf_t *cf, void *conf)
{
    ngx_http_alpxe_main_conf_t  *amcf = conf;

    ngx_conf_init_value(amcf->strict, 0);

    if (amcf->last_good.data == NULL) {
        ngx_str_set(&amcf->last_good, ALPXE_NGINX_LAST_GOOD);
    }

    if (!amcf->used && amcf->file.data == NULL) {
        return NGX_CONF_OK;
    }

    if (amcf->file.data == NULL) {
        ngx_str_set(&amcf->file, ALPXE_DEFAULT_CONFIG);
    }

    if (ngx_http_alpxe_load(cf, amcf) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_alpxe_config(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_alpxe_main_conf_t  *amcf = conf;

    ngx_str_t  *value;

    if (amcf->file.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;
    amcf->file = value[1];

    if (amcf->file.len == 0) {
        ngx_conf_log_error(NGX_LOG_EMERG, cf, 0,
                           "empty alpxe configuration file name");
        return NGX_CONF_ERROR;
    }

    if (ngx_conf_full_name(cf->cycle, &amcf->file, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    /* loaded in init_main_conf, once alpxe_strict and alpxe_last_good
     * are known whatever their order */

    return NGX_CONF_OK;
}


static char *
ngx_http_alpxe_last_good(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_alpxe_main_conf_t  *amcf = conf;

    ngx_str_t  *value;

    if (amcf->last_good.data != NULL) {
        return "is duplicate";
    }

    value = cf->args->elts;

    if (ngx_strcmp(value[1].data, "off") == 0) {
        ngx_str_set(&amcf->last_good, "");
        return NGX_CONF_OK;
    }

    amcf->last_good = value[1];

    if (amcf->last_good.len == 0) {
        return "takes a file name or \"off\"";
    }

    if (ngx_conf_full_name(cf->cycle, &amcf->last_good, 1) != NGX_OK) {
        return NGX_CONF_ERROR;
    }

    return NGX_CONF_OK;
}


static char *
ngx_http_alpxe(ngx_conf_t *cf, ngx_command_t *cmd, void *conf)
{
    ngx_http_core_loc_conf_t    *clcf;
    ngx_http_alpxe_main_conf_t  *amcf;

    clcf = ngx_http_conf_get_module_loc_conf(cf, ngx_http_core_module);
    clcf->handler = ngx_http_alpxe_handler;

    amcf = ngx_http_conf_get_module_main_conf(cf, ngx_http_alpxe_module);
    amcf->used = 1;

    return NGX_CONF_OK;
}


/*
 * Loads amcf->file (NUL-terminated) into amcf->config, through the last
 * good copy unless alpxe_strict is on.  NGX_ERROR only when strict; else
 * amcf->config may stay NULL (503), with the reason logged.
 */

static ngx_int_t
ngx_http_alpxe_load(ngx_conf_t *cf, ngx_http_alpxe_main_conf_t *amcf)
{
    int                        rc;
    unsigned                   flags;
    const char                *keep;
    alpxe_load_result          res;
    ngx_http_alpxe_diag_ctx_t  ctx;

    ctx.cf = cf;
    ctx.errors = 0;
    ctx.error_level = amcf->strict ? NGX_LOG_EMERG : NGX_LOG_ERR;

    keep = (amcf->strict || amcf->last_good.len == 0)
           ? NULL : (const char *) amcf->last_good.data;

    /* nginx -t reads the copy but leaves it as it is */

    flags = ALPXE_LOAD_SCRIPTS | (ngx_test_config ? ALPXE_LOAD_KEEP_RO : 0);

    rc = alpxe_config_load_kept((const char *) amcf->file.data, keep, flags,
                                ngx_http_alpxe_diag, &ctx, &amcf->config,
                                &res);

    if (rc == 0 && !res.fallback) {

        ngx_conf_log_error(NGX_LOG_NOTICE, cf, 0,
                           "alpxe: \"%V\" loaded in %uL.%uL ms: %uz hosts, "
                           "%uz profiles, %uz warnings, sha256 %s",
                           &amcf->file,
                           (uint64_t) alpxe_config_load_us(amcf->config)
                               / 1000,
                           (uint64_t) alpxe_config_load_us(amcf->config)
                               % 1000 / 100,
                           alpxe_config_host_count(amcf->config),
                           alpxe_config_profile_count(amcf->config),
                           alpxe_config_warning_count(amcf->config),
                           alpxe_config_sha256(amcf->config));

        if (keep && res.keep_rc != 0) {
            ngx_conf_log_error(NGX_LOG_WARN, cf, (ngx_err_t) -res.keep_rc,
                               "alpxe: cannot keep the last good copy of "
                               "\"%V\" in \"%s\": if it breaks, the alpxe "
                               "locations will answer 503", &amcf->file,
                               keep);
        }

        return NGX_OK;
    }

    if (rc == 0) {
        ngx_conf_log_error(NGX_LOG_ERR, cf, 0,
                           "alpxe: \"%V\" does not load: serving its last "
                           "good version (sha256 %s, kept in \"%s\")",
                           &amcf->file, alpxe_config_sha256(amcf->config),
                           keep);
        return NGX_OK;
    }

    amcf->config = NULL;

    if (ctx.errors == 0) {
        ngx_conf_log_error(ctx.error_level, cf, (ngx_err_t) -rc,
                           "cannot load alpxe configuration \"%V\"",
                           &amcf->file);
    }

    if (amcf->strict) {
        return NGX_ERROR;
    }

    ngx_conf_log_error(NGX_LOG_ERR, cf, 0,
                       "alpxe: \"%V\" does not load and no good version of "
                       "it is kept%s%s%s: the alpxe locations answer 503 "
                       "until it loads", &amcf->file, keep ? " in \"" : "",
                       keep ? keep : "", keep ? "\"" : "");

    return NGX_OK;
}


/* one line of the core's diagnostics, "FILE:LINE: problem", into nginx's */

static void
ngx_http_alpxe_diag(void *ctx, alpxe_severity severity, const char *file,
    unsigned line, const char *text)
{
    ngx_http_alpxe_diag_ctx_t  *dc = ctx;

    if (severity == ALPXE_ERROR) {
        dc->errors++;
        ngx_conf_log_error(dc->error_level, dc->cf, 0, "%s", text);

    } else {
        ngx_conf_log_error(NGX_LOG_WARN, dc->cf, 0, "%s", text);
    }
}


static void
ngx_http_alpxe_cleanup(void *data)
{
    ngx_http_alpxe_main_conf_t  *amcf = data;

    if (amcf->config != NULL) {
        alpxe_config_free(amcf->config);
        amcf->config = NULL;
    }
}
