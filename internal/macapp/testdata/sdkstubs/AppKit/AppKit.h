// Hand-written stand-ins for the SDK declarations system_darwin.m uses (see objc_test.go); not Apple's headers.
#pragma once
#include <objc/runtime.h>
typedef void (^dispatch_block_t)(void);
typedef struct dispatch_queue_s *dispatch_queue_t;
dispatch_queue_t dispatch_get_main_queue(void);
void dispatch_async(dispatch_queue_t q, dispatch_block_t b);
__attribute__((objc_root_class))
@interface NSObject { Class isa; }
+ (instancetype)alloc;
+ (instancetype)new;
- (instancetype)init;
- (Class)class;
@end
@protocol NSObject
- (Class)class;
@end
@interface NSString : NSObject
- (BOOL)isEqualToString:(NSString *)s;
+ (instancetype)stringWithUTF8String:(const char *)s;
@end
@interface NSNumber : NSObject
+ (NSNumber *)numberWithUnsignedLong:(unsigned long)v;
- (unsigned long long)unsignedLongLongValue;
@end
@interface NSThread : NSObject
+ (BOOL)isMainThread;
@end
@interface NSBundle : NSObject
+ (NSBundle *)mainBundle;
@property (readonly) NSString *bundleIdentifier;
@end
typedef long NSInteger;
typedef unsigned long long NSActivityOptions;
#define NSActivityUserInitiatedAllowingIdleSystemSleep ((NSActivityOptions)0x00EFFFFFULL)
@interface NSProcessInfo : NSObject
+ (NSProcessInfo *)processInfo;
- (id<NSObject>)beginActivityWithOptions:(NSActivityOptions)options reason:(NSString *)reason;
- (void)endActivity:(id<NSObject>)activity;
@end
typedef enum : NSInteger { NSApplicationActivationPolicyRegular, NSApplicationActivationPolicyAccessory, NSApplicationActivationPolicyProhibited } NSApplicationActivationPolicy;
@protocol NSApplicationDelegate <NSObject>
@end
@interface NSApplication : NSObject
- (NSApplicationActivationPolicy)activationPolicy;
- (BOOL)setActivationPolicy:(NSApplicationActivationPolicy)p;
- (void)activate __attribute__((availability(macos,introduced=14.0)));
- (void)activateIgnoringOtherApps:(BOOL)flag;
@property (weak) id<NSApplicationDelegate> delegate;
@end
extern NSApplication *NSApp;
