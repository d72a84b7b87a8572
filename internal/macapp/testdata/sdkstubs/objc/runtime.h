// Hand-written stand-ins for the SDK declarations system_darwin.m uses (see objc_test.go); not Apple's headers.
#pragma once
typedef struct objc_class *Class;
typedef struct objc_object { Class isa; } *id;
typedef struct objc_selector *SEL;
typedef id (*IMP)(id, SEL, ...);
typedef struct objc_method *Method;
typedef signed char BOOL;
#define YES ((BOOL)1)
#define NO ((BOOL)0)
#define nil ((id)0)
#define NULL ((void*)0)
@class Protocol;
struct objc_method_description { SEL name; char *types; };
Method class_getInstanceMethod(Class cls, SEL name);
IMP method_getImplementation(Method m);
BOOL class_addMethod(Class cls, SEL name, IMP imp, const char *types);
struct objc_method_description protocol_getMethodDescription(Protocol *p, SEL aSel, BOOL isRequiredMethod, BOOL isInstanceMethod);
typedef enum { OBJC_ASSOCIATION_ASSIGN = 0, OBJC_ASSOCIATION_RETAIN_NONATOMIC = 1 } objc_AssociationPolicy;
void objc_setAssociatedObject(id object, const void *key, id value, objc_AssociationPolicy policy);
id objc_getAssociatedObject(id object, const void *key);
