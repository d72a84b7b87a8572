// Hand-written stand-ins for the SDK declarations system_darwin.m uses (see objc_test.go); not Apple's headers.
#pragma once
#include <AppKit/AppKit.h>
typedef enum : unsigned long { UNNotificationPresentationOptionList = 1 << 3, UNNotificationPresentationOptionBanner = 1 << 4 } UNNotificationPresentationOptions;
@interface UNNotification : NSObject
@end
@interface UNNotificationResponse : NSObject
@property (readonly) NSString *actionIdentifier;
@end
extern NSString *const UNNotificationDefaultActionIdentifier;
@class UNUserNotificationCenter;
@protocol UNUserNotificationCenterDelegate <NSObject>
- (void)userNotificationCenter:(UNUserNotificationCenter *)center willPresentNotification:(UNNotification *)notification withCompletionHandler:(void (^)(UNNotificationPresentationOptions options))completionHandler;
- (void)userNotificationCenter:(UNUserNotificationCenter *)center didReceiveNotificationResponse:(UNNotificationResponse *)response withCompletionHandler:(void(^)(void))completionHandler;
@end
@interface UNUserNotificationCenter : NSObject
+ (UNUserNotificationCenter *)currentNotificationCenter;
@property (weak) id<UNUserNotificationCenterDelegate> delegate;
@end
