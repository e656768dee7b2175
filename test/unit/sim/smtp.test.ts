import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimTenant, type SimTenant } from '../../sim/index.js';

describe('sim: SMTP sink', () => {
  let sim: SimTenant;
  beforeAll(async () => { sim = await startSimTenant(); });
  afterAll(async () => { await sim.close(); });

  it('receives mail from nodemailer and exposes raw + parsed copies', async () => {
    const transport = nodemailer.createTransport({ host: sim.smtp.host, port: sim.smtp.port, secure: false });
    const waiting = sim.smtp.waitFor((m) => m.subject.startsWith('Exemption request'), 5000);
    await transport.sendMail({
      from: 'Exemption Broker <broker@contoso.com>',
      to: 'secops@contoso.com',
      cc: 'alice.admin@contoso.com',
      bcc: 'audit@contoso.com',
      subject: 'Exemption request req-1: approve?',
      text: 'Plain body',
      html: '<p>Approve <a href="https://review.example/req-1">here</a></p>',
    });
    const mail = await waiting;
    expect(mail.from).toBe('broker@contoso.com');
    expect(mail.to.sort()).toEqual(['alice.admin@contoso.com', 'audit@contoso.com', 'secops@contoso.com']);
    expect(mail.text.trim()).toBe('Plain body');
    expect(mail.html).toContain('https://review.example/req-1');
    expect(mail.raw).toMatch(/^Subject: Exemption request req-1: approve\?/m);
    expect(sim.smtp.messages()).toHaveLength(1);
    sim.smtp.clear();
    expect(sim.smtp.messages()).toEqual([]);
  });

  it('accepts authenticated senders too, and waitFor times out with a helpful error', async () => {
    const transport = nodemailer.createTransport({ host: sim.smtp.host, port: sim.smtp.port, secure: false, auth: { user: 'u', pass: 'p' } });
    await transport.sendMail({ from: 'a@contoso.com', to: 'b@contoso.com', subject: 'hello', text: 'x' });
    expect((await sim.smtp.waitFor((m) => m.subject === 'hello', 2000)).to).toEqual(['b@contoso.com']);
    await expect(sim.smtp.waitFor((m) => m.subject === 'never', 100)).rejects.toThrow(/No mail matched within 100 ms \(1 received: "hello"\)/);
  });
});
