// Thin C wrappers for what Swift cannot call directly: glibc's GNU-only socket calls,
// OpenSSL's function-like macros, and libcurl's variadic setopt/getinfo.
#ifndef WATCHKEEPER_CSHIMS_H
#define WATCHKEEPER_CSHIMS_H

#include <stdint.h>
#include <stddef.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <openssl/ssl.h>
#include <curl/curl.h>

// ---- epoll / sockets ------------------------------------------------------------------------
int wk_epoll_create(void);
/// op: EPOLL_CTL_* values: 1 add, 2 delete, 3 modify. events: EPOLLIN etc. as defined below.
int wk_epoll_ctl(int epfd, int op, int fd, uint32_t events, uint64_t data);
/// Waits; fills parallel arrays `datas` and `events`. Returns count, 0 on timeout, -1 on error.
int wk_epoll_wait(int epfd, uint64_t *datas, uint32_t *events, int max_events, int timeout_ms);
int wk_accept4(int fd);               // non-blocking + close-on-exec accepted socket
int wk_eventfd(void);                 // non-blocking, close-on-exec
int wk_eventfd_signal(int fd);
int wk_eventfd_drain(int fd);
int wk_set_nonblocking(int fd);
int wk_set_nodelay(int fd);
int wk_set_reuseaddr(int fd);
ssize_t wk_send(int fd, const void *buf, size_t len);       // MSG_NOSIGNAL
ssize_t wk_writev2(int fd, const void *a, size_t alen, const void *b, size_t blen);

extern const uint32_t WK_EPOLLIN;
extern const uint32_t WK_EPOLLOUT;
extern const uint32_t WK_EPOLLERR;
extern const uint32_t WK_EPOLLHUP;
extern const uint32_t WK_EPOLLRDHUP;
extern const uint32_t WK_EPOLLET;
extern const uint32_t WK_EPOLLEXCLUSIVE;

// ---- OpenSSL macros ---------------------------------------------------------------------------
int wk_ssl_ctx_set_min_proto_tls12(SSL_CTX *ctx);
long wk_ssl_ctx_set_mode_partial_writes(SSL_CTX *ctx);
unsigned long wk_err_get_error(void);
int wk_ssl_set_tlsext_host_name(SSL *ssl, const char *name);

// ---- libcurl variadics ------------------------------------------------------------------------
CURLcode wk_curl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode wk_curl_setopt_ptr(CURL *h, CURLoption opt, void *value);
CURLcode wk_curl_setopt_str(CURL *h, CURLoption opt, const char *value);
CURLcode wk_curl_setopt_off(CURL *h, CURLoption opt, curl_off_t value);
typedef size_t (*wk_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
CURLcode wk_curl_setopt_write_function(CURL *h, wk_curl_data_cb cb);
CURLcode wk_curl_setopt_header_function(CURL *h, wk_curl_data_cb cb);
CURLcode wk_curl_setopt_read_function(CURL *h, wk_curl_data_cb cb);
CURLcode wk_curl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode wk_curl_getinfo_double(CURL *h, CURLINFO info, double *out);

#endif
