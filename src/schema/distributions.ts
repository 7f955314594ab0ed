import type { DispositionReport as DispositionReportShape, DtmfReport as DtmfReportShape, HangupReport as HangupReportShape } from '../reports/shapes.js';
import { builder } from './builder.js';
import { instantWindowArgs } from './report-args.js';


const HangupCauseCount = builder.objectRef<HangupReportShape['byHangupCause'][number]>('HangupCauseCount').implement({
  description: 'Calls that ended with one hangup cause.',
  fields: (t) => ({
    hangupCause: t.exposeString('hangupCause', { description: 'FreeSWITCH / Q.850 cause name, e.g. NORMAL_CLEARING.' }),
    count: t.exposeInt('count', { description: 'Attempts that ended with it.' }),
    pct: t.expose('pct', { type: 'Percentage', description: 'Share of all attempts; the shares sum to exactly 100.00.' }),
  }),
});

const HangupReport = builder.objectRef<HangupReportShape>('HangupReport').implement({
  description: 'Why the calls of a window ended.',
  fields: (t) => ({
    totalCalls: t.exposeInt('totalCalls', { description: 'Attempts in the window (the kpis\' dialed).' }),
    byHangupCause: t.expose('byHangupCause', { type: [HangupCauseCount], description: 'Count descending, then cause name.' }),
  }),
});

const DtmfDigitCount = builder.objectRef<DtmfReportShape['byDigit'][number]>('DtmfDigitCount').implement({
  description: 'Answered calls in which the callee pressed one key.',
  fields: (t) => ({
    digit: t.exposeString('digit', { description: 'The key: "0"-"9", "*" or "#".' }),
    count: t.exposeInt('count', { description: 'Answered attempts with this key.' }),
    pct: t.expose('pct', { type: 'Percentage', description: 'Share of the attempts with a key; the shares sum to exactly 100.00.' }),
    label: t.exposeString('label', { nullable: true, description: 'The label of the key in the IVR script; null for a key the script does not define.' }),
  }),
});

const ScriptPathCount = builder.objectRef<DtmfReportShape['byScriptPath'][number]>('ScriptPathCount').implement({
  description: 'Answered calls that went through the same IVR nodes.',
  fields: (t) => ({
    path: t.exposeString('path', { description: 'The nodes visited, joined with " → ", e.g. "intro → press_1 → queue_sales".' }),
    count: t.exposeInt('count', { description: 'Answered attempts that took this path.' }),
  }),
});

const DtmfReport = builder.objectRef<DtmfReportShape>('DtmfReport').implement({
  description: 'What callees pressed in the IVR.',
  fields: (t) => ({
    totalAnswered: t.exposeInt('totalAnswered', { description: 'Answered attempts in the window.' }),
    withDtmfInput: t.exposeInt('withDtmfInput', { description: 'Of those, with a key pressed.' }),
    noInput: t.exposeInt('noInput', { description: 'Of those, without a key.' }),
    noInputRatePct: t.expose('noInputRatePct', { type: 'Percentage', nullable: true, description: 'noInput ÷ totalAnswered; null when nothing was answered.' }),
    byDigit: t.expose('byDigit', { type: [DtmfDigitCount], description: 'Count descending, then digit.' }),
    byScriptPath: t.expose('byScriptPath', { type: [ScriptPathCount], description: 'Count descending, then path.' }),
  }),
});

const DispositionCount = builder.objectRef<DispositionReportShape['byDisposition'][number]>('DispositionCount').implement({
  description: 'Attempts an agent closed with one disposition.',
  fields: (t) => ({
    disposition: t.exposeString('disposition', { description: 'The disposition the agent chose, e.g. "interested" or "callback".' }),
    count: t.exposeInt('count', { description: 'Attempts with it.' }),
    pct: t.expose('pct', { type: 'Percentage', description: 'Share of the disposed attempts; the shares sum to exactly 100.00.' }),
  }),
});

const DispositionReport = builder.objectRef<DispositionReportShape>('DispositionReport').implement({
  description: 'How agents closed the calls transferred to them: the end of the funnel, broken down.',
  fields: (t) => ({
    totalDisposed: t.exposeInt('totalDisposed', { description: 'Attempts of the window that carry an agent disposition.' }),
    byDisposition: t.expose('byDisposition', { type: [DispositionCount], description: 'Count descending, then disposition.' }),
  }),
});

builder.prismaObjectFields('Campaign', (t) => ({
  dispositions: t.field({
    type: DispositionReport,
    description: 'Attempts of the window by agent disposition.',
    args: instantWindowArgs,
    resolve: (campaign, args, context) => context.reports.dispositions(campaign, args),
  }),
  hangup: t.field({
    type: HangupReport,
    description: 'Attempts of the window by hangup cause.',
    args: instantWindowArgs,
    resolve: (campaign, args, context) => context.reports.hangup(campaign, args),
  }),
  dtmf: t.field({
    type: DtmfReport,
    description: 'Keys pressed and IVR paths taken by the answered attempts of the window.',
    args: instantWindowArgs,
    resolve: (campaign, args, context) => context.reports.dtmf(campaign, args),
  }),
}));
