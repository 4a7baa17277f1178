/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * SMMU_API marks the functions of the public headers. libsmmu is compiled
 * with -fvisibility=hidden, so these are the only symbols the shared library
 * exports (ctest abi.exports_public_only checks nm -D against the headers).
 */
#ifndef SMMU_SMMU_EXPORT_H
#define SMMU_SMMU_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
/** Marks a public function: default visibility (exported from libsmmu.so)
 * with GCC and Clang, nothing elsewhere. */
#define SMMU_API __attribute__((visibility("default")))
#else
#define SMMU_API
#endif

#endif /* SMMU_SMMU_EXPORT_H */
