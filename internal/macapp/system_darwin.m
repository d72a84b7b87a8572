//go:build darwin && cgo

// The AppKit side of package macapp. Compiled with ARC.

#import <AppKit/AppKit.h>
#import <UserNotifications/UserNotifications.h>
#import <objc/runtime.h>
#include <stdint.h>

extern void auditlightReopen(uintptr_t handle);
extern void auditlightReleaseReopen(uintptr_t handle);

// The keys of the associated objects on NSApp that hold the Go handle of the
// reopen callback and the notification-center delegate (the center keeps
// its delegate weakly). Only their addresses are used.
static char reopenHandleKey;
static char notificationDelegateKey;

// callReopen calls the Go callback, if one is installed, on the main thread
// (where it is installed and removed, so its handle is always valid).
static void callReopen(void) {
    dispatch_async(dispatch_get_main_queue(), ^{
        if (NSApp == nil) {
            return;
        }
        NSNumber *handle = objc_getAssociatedObject(NSApp, &reopenHandleKey);
        if (handle != nil) {
            auditlightReopen((uintptr_t)[handle unsignedLongLongValue]);
        }
    });
}

// AuditLightNotificationDelegate makes Fyne's notifications (sent through
// UNUserNotificationCenter when the app is bundled) show as banners even
// while AuditLight is in front, and brings the window back when the user
// clicks one. Fyne 2.8.1 sets no delegate of its own.
@interface AuditLightNotificationDelegate : NSObject <UNUserNotificationCenterDelegate>
@end

@implementation AuditLightNotificationDelegate
- (void)userNotificationCenter:(UNUserNotificationCenter *)center
       willPresentNotification:(UNNotification *)notification
         withCompletionHandler:(void (^)(UNNotificationPresentationOptions))completionHandler {
    completionHandler(UNNotificationPresentationOptionBanner | UNNotificationPresentationOptionList);
}

- (void)userNotificationCenter:(UNUserNotificationCenter *)center
didReceiveNotificationResponse:(UNNotificationResponse *)response
         withCompletionHandler:(void (^)(void))completionHandler {
    if ([response.actionIdentifier isEqualToString:UNNotificationDefaultActionIdentifier]) {
        callReopen();
    }
    completionHandler();
}
@end

// installNotificationDelegate sets the delegate unless the app runs outside
// a bundle (then Fyne uses osascript, and asking for the notification
// center would abort the process) or someone else already set one.
static void installNotificationDelegate(void) {
    if ([[NSBundle mainBundle] bundleIdentifier] == nil) {
        return;
    }
    UNUserNotificationCenter *center = [UNUserNotificationCenter currentNotificationCenter];
    if (center.delegate != nil) {
        return;
    }
    AuditLightNotificationDelegate *d = [AuditLightNotificationDelegate new];
    objc_setAssociatedObject(NSApp, &notificationDelegateKey, d, OBJC_ASSOCIATION_RETAIN_NONATOMIC);
    center.delegate = d;
}

// onMain runs block on the main thread: now when already there (Fyne's
// goroutine is locked to it), else queued.
static void onMain(dispatch_block_t block) {
    if ([NSThread isMainThread]) {
        block();
    } else {
        dispatch_async(dispatch_get_main_queue(), block);
    }
}

void auditlightSetActivationPolicy(int accessory) {
    onMain(^{
        if (NSApp == nil) {
            return; // no driver yet (headless tests); GLFW starts as Regular
        }
        NSApplicationActivationPolicy p = accessory ? NSApplicationActivationPolicyAccessory
                                                    : NSApplicationActivationPolicyRegular;
        if ([NSApp activationPolicy] != p) {
            [NSApp setActivationPolicy:p];
        }
    });
}

void auditlightActivate(void) {
    onMain(^{
        if (NSApp == nil) {
            return;
        }
        if (@available(macOS 14.0, *)) {
            [NSApp activate];
        } else {
            [NSApp activateIgnoringOtherApps:YES];
        }
    });
}

// shouldHandleReopen is added to the application delegate's class. AppKit
// sends it when the running app is opened again (Finder, Spotlight,
// Launchpad, Dock icon). Returning YES keeps AppKit's own handling too
// (a minimised window comes back from the Dock).
static BOOL shouldHandleReopen(id self, SEL _cmd, NSApplication *app, BOOL hasVisibleWindows) {
    NSNumber *handle = objc_getAssociatedObject(app, &reopenHandleKey);
    if (handle != nil) {
        auditlightReopen((uintptr_t)[handle unsignedLongLongValue]);
    }
    return YES;
}

// auditlightInstallReopen must run on the main thread once the driver's
// NSApplication and delegate exist. 0: installed; 1: no delegate yet;
// 2: the delegate already answers the reopen message itself.
int auditlightInstallReopen(uintptr_t handle) {
    if (![NSThread isMainThread] || NSApp == nil || [NSApp delegate] == nil) {
        return 1;
    }
    SEL sel = @selector(applicationShouldHandleReopen:hasVisibleWindows:);
    Class cls = [[NSApp delegate] class];
    Method existing = class_getInstanceMethod(cls, sel);
    if (existing != NULL && method_getImplementation(existing) != (IMP)shouldHandleReopen) {
        return 2;
    }
    if (existing == NULL) {
        // The type encoding as the protocol declares it (BOOL is 'B' on
        // arm64, 'c' on x86_64).
        struct objc_method_description d =
            protocol_getMethodDescription(@protocol(NSApplicationDelegate), sel, NO, YES);
        if (d.types == NULL || !class_addMethod(cls, sel, (IMP)shouldHandleReopen, d.types)) {
            return 2;
        }
    }
    NSNumber *old = objc_getAssociatedObject(NSApp, &reopenHandleKey);
    if (old != nil) {
        return 2; // one callback at a time
    }
    objc_setAssociatedObject(NSApp, &reopenHandleKey, @(handle), OBJC_ASSOCIATION_RETAIN_NONATOMIC);
    installNotificationDelegate();
    return 0;
}

// auditlightRemoveReopen takes the callback off NSApp and then releases its
// Go handle, both on the main thread where reopen events are delivered.
void auditlightRemoveReopen(void) {
    onMain(^{
        if (NSApp == nil) {
            return;
        }
        NSNumber *handle = objc_getAssociatedObject(NSApp, &reopenHandleKey);
        if (handle == nil) {
            return;
        }
        objc_setAssociatedObject(NSApp, &reopenHandleKey, nil, OBJC_ASSOCIATION_RETAIN_NONATOMIC);
        auditlightReleaseReopen((uintptr_t)[handle unsignedLongLongValue]);
    });
}

// auditlightBeginActivity tells macOS that AuditLight is working even with no
// visible window (the collector behind the menu-bar light), so App Nap does
// not stretch its timers and network I/O; the Mac may still sleep when idle.
// It returns the activity token, retained for Go, for auditlightEndActivity.
void *auditlightBeginActivity(const char *reason) {
    id<NSObject> token = [[NSProcessInfo processInfo]
        beginActivityWithOptions:NSActivityUserInitiatedAllowingIdleSystemSleep
                          reason:[NSString stringWithUTF8String:reason]];
    return (__bridge_retained void *)token;
}

// auditlightEndActivity ends the activity and releases its token.
void auditlightEndActivity(void *token) {
    id<NSObject> activity = (__bridge_transfer id<NSObject>)token;
    [[NSProcessInfo processInfo] endActivity:activity];
}
