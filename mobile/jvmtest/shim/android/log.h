/* Host stand-in for the Android NDK's <android/log.h>, so that gobind's
 * JNI glue builds as a shared library for a desktop JVM (.ci/mobile):
 * the log calls go to stderr, and an assertion aborts as on Android. */
#ifndef IKD_HOST_ANDROID_LOG_H
#define IKD_HOST_ANDROID_LOG_H

#include <stdio.h>
#include <stdlib.h>

enum {
	ANDROID_LOG_UNKNOWN, ANDROID_LOG_DEFAULT, ANDROID_LOG_VERBOSE, ANDROID_LOG_DEBUG,
	ANDROID_LOG_INFO, ANDROID_LOG_WARN, ANDROID_LOG_ERROR, ANDROID_LOG_FATAL, ANDROID_LOG_SILENT
};

#define __android_log_print(prio, tag, ...) \
	(fprintf(stderr, "%s: ", (tag)), fprintf(stderr, __VA_ARGS__), fprintf(stderr, "\n"))
#define __android_log_write(prio, tag, text) fprintf(stderr, "%s: %s\n", (tag), (text))
#define __android_log_assert(cond, tag, ...) \
	(fprintf(stderr, "%s: assertion %s: ", (tag), (cond)), fprintf(stderr, __VA_ARGS__), abort())

#endif
