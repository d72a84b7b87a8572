/* xwin: the few window-manager and pointer actions the Xvfb smoke test
 * needs (Xvfb has no window manager, and xdotool is not installed):
 *   xwin close PREFIX    send WM_DELETE_WINDOW, as a title-bar close button does
 *   xwin mapped PREFIX   exit 0 when a viewable window named PREFIX* exists
 *   xwin click X Y       move the pointer to X,Y and click the left button
 * Build: gcc -O2 -o build/xwin scripts/xwin.c -lX11 -lXtst */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>

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
		fprintf(stderr, "usage: xwin close|mapped PREFIX | xwin click X Y\n");
		return 2;
	}
	Display *d = XOpenDisplay(NULL);
	if (!d) {
		fprintf(stderr, "xwin: cannot open the display\n");
		return 2;
	}
	int rc = 0;
	if (strcmp(argv[1], "click") == 0 && argc == 4) {
		XTestFakeMotionEvent(d, -1, atoi(argv[2]), atoi(argv[3]), CurrentTime);
		XFlush(d);
		usleep(150000);
		XTestFakeButtonEvent(d, 1, True, CurrentTime);
		XFlush(d);
		usleep(80000);
		XTestFakeButtonEvent(d, 1, False, CurrentTime);
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
