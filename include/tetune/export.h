/* TT_API marks what libtetune exports: the library is built with
 * -fvisibility=hidden, so a function or variable is visible to users of
 * the shared library only when its declaration in a public header carries
 * TT_API. Everything else is internal (the static library, which the tests
 * link, still reaches it). */
#ifndef TETUNE_EXPORT_H
#define TETUNE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define TT_API __attribute__((visibility("default")))
#else
#define TT_API
#endif

#endif
