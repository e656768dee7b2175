/**
 * Ids an attacker (or a careless script) could send, each with what the refusal must say. Shared by the
 * parser's unit tests and the intake's integration tests, so both hold the same line.
 */
const SUB = '3f2b8c1d-6e4a-4b7f-9c2d-8a1e5f3b7c90';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-app-prod`;
const STORAGE = `${RG}/providers/Microsoft.Storage/storageAccounts/stcontosoprod01`;
const ASSIGNMENT_TAIL = '/providers/Microsoft.Authorization/policyAssignments/SecurityCenterBuiltIn';

type Case = readonly [label: string, raw: string, reason: RegExp];

const DOT_SEGMENT = /\. or \.\. segments/;
const PERCENT = /percent-encoded/;
const ASCII = /only ASCII/;

const resource: Case[] = [
  ['a dot-dot segment climbing to the resource group', `${STORAGE}/../..`, DOT_SEGMENT],
  ['a dot-dot segment in the middle', `${RG}/../resourceGroups/rg-other`, DOT_SEGMENT],
  ['a dot segment', `${RG}/./providers/Microsoft.Storage/storageAccounts/st1`, DOT_SEGMENT],
  ['a dot-dot segment encoded as %2e%2e', `${STORAGE}/%2e%2e/%2E%2E`, PERCENT],
  ['a dot segment mixing . and %2e', `${STORAGE}/.%2e`, PERCENT],
  ['a double-encoded dot-dot (%252e)', `${STORAGE}/%252e%252e`, PERCENT],
  ['an encoded slash (%2f)', `${RG}/providers/Microsoft.Storage/storageAccounts/st1%2f..%2f..`, PERCENT],
  ['full-width full stops that NFKC folds to ..', `${STORAGE}/\uFF0E\uFF0E`, ASCII],
  ['a two-dot leader that NFKC folds to ..', `${STORAGE}/\u2025`, ASCII],
  ['a one-dot leader pair that NFKC folds to ..', `${STORAGE}/\u2024\u2024`, ASCII],
  ['a full-width solidus that NFKC folds to /', `${RG}\uFF0F..`, ASCII],
  ['a look-alike letter in a name', `${RG}/providers/Microsoft.Storage/storageAccounts/st\u0430pp`, ASCII],
  ['a backslash', `${STORAGE}\\..\\..`, /backslash/],
  ['a query string', `${STORAGE}?api-version=2020-01-01`, /query/],
  ['a fragment', `${STORAGE}#/..`, /fragment/],
  ['a space', `${RG}/providers/Microsoft.Storage/storageAccounts/st 1`, /whitespace/],
  ['surrounding spaces', ` ${STORAGE} `, /whitespace/],
  ['a non-breaking space', `${STORAGE}\u00a0`, /whitespace|control/],
  ['a trailing newline', `${STORAGE}\n`, /control/],
  ['a NUL character', `${STORAGE}\u0000`, /control/],
  ['a tab', `${RG}/providers/Microsoft.Storage/storageAccounts/\tst1`, /control/],
  ['markup', `${RG}/providers/Microsoft.Storage/storageAccounts/<script>`, /markup/],
  ['a double quote', `${STORAGE}"`, /markup/],
  ['a single quote', `${STORAGE}'`, /markup/],
  ['an empty segment', `/subscriptions/${SUB}//resourceGroups/rg-app-prod`, /empty segments/],
  ['two trailing slashes', `${STORAGE}//`, /empty segments/],
  ['no leading slash', STORAGE.slice(1), /start with \//],
  ['the tenant root', '/', /tenant root/],
  ['a management group', '/providers/Microsoft.Management/managementGroups/contoso', /management group/],
  ['an extension resource', `${STORAGE}/providers/Microsoft.Security/assessments/1c5de8e1-f68d-6a17-e0d2-ec259c42768c`, /extension resource/],
  ['a policy object at a resource group', `${RG}/providers/Microsoft.Authorization/policyExemptions/x`, /policy object/],
  ['a subscription-level resource', `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/VirtualMachines`, /subscription-level/],
  ['a subscription that is not a GUID', '/subscriptions/not-a-guid', /GUID/],
  ['a resource group ending in a dot', `/subscriptions/${SUB}/resourceGroups/rg.`, /resource group name/],
  ['a resource group of 91 characters', `/subscriptions/${SUB}/resourceGroups/${'r'.repeat(91)}`, /resource group name/],
  ['a name ending in a dot', `${RG}/providers/Microsoft.Storage/storageAccounts/st1.`, /resource name/],
  ['a name of three dots', `${RG}/providers/Microsoft.Storage/storageAccounts/...`, /resource name/],
  ['a name with a colon', `${RG}/providers/Microsoft.Storage/storageAccounts/st:1`, /resource name/],
  ['a name with an at sign', `${RG}/providers/Microsoft.Storage/storageAccounts/st@1`, /resource name/],
  ['a type with a hyphen', `${RG}/providers/Microsoft.Storage/storage-accounts/st1`, /resource type/],
  ['a namespace without a dot', `${RG}/providers/Storage/storageAccounts/st1`, /namespace/],
  ['a type without a name', `${RG}/providers/Microsoft.Storage/storageAccounts`, /type}\/{name} pair/],
  ['text over 1024 characters', `${RG}/providers/Microsoft.Storage/storageAccounts/${'a'.repeat(1024)}`, /at most 1024/],
  ['plain words', 'my-storage-account', /start with \//],
];

const assignment: Case[] = [
  ['a tenant-root assignment', ASSIGNMENT_TAIL, /tenant root/],
  ['a dot-dot segment in its scope', `${RG}/..${ASSIGNMENT_TAIL}`, DOT_SEGMENT],
  ['an encoded dot-dot name', `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/%2e%2e`, PERCENT],
  ['a dot-dot name', `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/..`, DOT_SEGMENT],
  ['a resource id instead of an assignment', STORAGE, /must end in \/providers\/Microsoft.Authorization\/policyAssignments/],
  ['an assignment below an extension resource', `${STORAGE}/providers/Microsoft.Security/assessments/k${ASSIGNMENT_TAIL}`, /extension resource/],
  ['a malformed management-group scope', `/providers/Microsoft.Management/managementGroups/contoso/x${ASSIGNMENT_TAIL}`, /neither a management group/],
  ['a management group id ending in a dot', `/providers/Microsoft.Management/managementGroups/contoso.${ASSIGNMENT_TAIL}`, /management group id/],
  ['markup in the name', `/subscriptions/${SUB}/providers/Microsoft.Authorization/policyAssignments/a<b>`, /markup/],
  ['whitespace', ` /subscriptions/${SUB}${ASSIGNMENT_TAIL}`, /whitespace/],
];

export const HOSTILE_IDS = { resource, assignment } as const;
