/* xwin: the few window-manager and pointer actions the Xvfb smoke test
 * needs (Xvfb has no window manager, and xdotool is not installed):
 *   xwin close PREFIX    send WM_DELETE_WINDOW, as a title-bar close button does
 *   xwin mapped PREFIX   exit 0 when a viewable window named PREFIX* exists
 *   xwin click X Y       move the pointer to X,Y and click the left button
 *   xwin clickwatch X Y MS  the same click, then watch the screen for MS ms:
 *                        prints "<release> <change> <change> ..." (unix ms),
 *                        the button's release and each time the pixels of
 *                        the content area (below the tab bar) changed; the
 *                        click script keeps the first change at or after the
 *                        app said the tab was shown (click -> painted)
 * Build: gcc -O2 -o build/xwin scripts/xwin.c -lX11 -lXtst */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

static long long nowMS(void) {
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (long long)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* Strips of the content area of the 1100x760 window at +0+0, below its
 * menu and tab bars: enough rows that any two screens differ in one, few
 * enough bytes that polling every 2 ms does not load the X server. */
enum { stripX = 0, stripW = 1100, stripY0 = 110, stripY1 = 740, stripStep = 30 };

/* snap copies the strips' pixels into buf (n bytes) and returns the bytes used. */
static size_t snap(Display *d, char *buf, size_t n) {
	size_t used = 0;
	for (int y = stripY0; y < stripY1; y += stripStep) {
		XImage *img = XGetImage(d, DefaultRootWindow(d), stripX, y, stripW, 1, AllPlanes, ZPixmap);
		if (!img)
			continue;
		size_t k = (size_t)img->bytes_per_line;
		if (used + k <= n) {
			memcpy(buf + used, img->data, k);
			used += k;
		}
		XDestroyImage(img);
	}
	return used;
}

static void click(Display *d, int x, int y) {
	XTestFakeMotionEvent(d, -1, x, y, CurrentTime);
	XFlush(d);
	usleep(150000);
	XTestFakeButtonEvent(d, 1, True, CurrentTime);
	XFlush(d);
	usleep(80000);
	XTestFakeButtonEvent(d, 1, False, CurrentTime);
	XSync(d, False);
}

/* clickWatch clicks, then prints the release time and each change of the strips for ms. */
static int clickWatch(Display *d, int x, int y, int ms) {
	size_t n = (size_t)((stripY1 - stripY0) / stripStep + 1) * stripW * 4;
	char *prev = malloc(n), *cur = malloc(n);
	if (!prev || !cur)
		return 2;
	click(d, x, y);
	long long released = nowMS();
	size_t used = snap(d, prev, n);
	printf("%lld", released);
	for (long long t = released; t - released < ms; t = nowMS()) {
		usleep(2000);
		size_t got = snap(d, cur, n);
		if (got != used || memcmp(prev, cur, got) != 0) {
			printf(" %lld", nowMS());
			char *tmp = prev;
			prev = cur;
			cur = tmp;
			used = got;
		}
	}
	printf("\n");
	free(prev);
	free(cur);
	return 0;
}

static Window find(Display *d, Window w, const char *prefix) {
	char *name = NULL;
	if (XFetchName(d, w, &name) && name) {
		int hit = strncmp(name, prefix, strlen(prefix)) == 0;
		XFree(name);
		if (hit) {
			XWindowAttributes a;
			if (XGetWindowAttributes(d, w, &a) && a.map_state == IsViewable)
				return w;
		}
	}
	Window root, parent, *kids = NULL;
	unsigned int n = 0;
	Window found = 0;
	if (XQueryTree(d, w, &root, &parent, &kids, &n)) {
		for (unsigned int i = 0; i < n && !found; i++)
			found = find(d, kids[i], prefix);
		if (kids)
			XFree(kids);
	}
	return found;
}

static int closeWindow(Display *d, Window w) {
	XEvent ev;
	memset(&ev, 0, sizeof ev);
	ev.xclient.type = ClientMessage;
	ev.xclient.window = w;
	ev.xclient.message_type = XInternAtom(d, "WM_PROTOCOLS", False);
	ev.xclient.format = 32;
	ev.xclient.data.l[0] = XInternAtom(d, "WM_DELETE_WINDOW", False);
	ev.xclient.data.l[1] = CurrentTime;
	XSendEvent(d, w, False, NoEventMask, &ev);
	return 0;
}

int main(int argc, char **argv) {
	if (argc < 3) {
		fprintf(stderr, "usage: xwin close|mapped PREFIX | xwin click X Y | xwin clickwatch X Y MS\n");
		return 2;
	}
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xwin: cannot open the display\n");
		return 2;
	}
	int rc = 0;
	if (strcmp(argv[1], "click") == 0 && argc == 4) {
		click(d, atoi(argv[2]), atoi(argv[3]));
	} else if (strcmp(argv[1], "clickwatch") == 0 && argc == 5) {
		rc = clickWatch(d, atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	} else {
		Window w = find(d, DefaultRootWindow(d), argv[2]);
		if (!w) {
			rc = 1;
		} else if (strcmp(argv[1], "close") == 0) {
			rc = closeWindow(d, w);
		}
	}
	XFlush(d);
	XCloseDisplay(d);
	return rc;
}
