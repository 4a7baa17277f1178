#include <stdio.h>
#include "smmu/smmu.h"
int main(void) { puts("placeholder"); return 0; }
