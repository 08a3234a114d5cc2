/** Vitest setup file: installs the Node Cedar engine in every test process, as the server and the CLI do at start. */
import { nodeCedarEngine } from '@bursar/core/cedar-node'
import { setDefaultCedarEngine } from '@bursar/core/policy'

setDefaultCedarEngine(nodeCedarEngine())
