// The headers are all this target provides; SwiftPM needs one source file to build it.
#include "CEpoll.h"
