import { describe, expect, it } from 'vitest';
import { escapeHtml, html, join, raw, render, SafeHtml } from '../../../lib/web/html.js';

describe('escapeHtml', () => {
  it('escapes the five characters that can change HTML structure', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('plain text, ünïcode')).toBe('plain text, ünïcode');
  });

  it('escapes an ampersand once, so entities in user text stay visible as typed', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('html template', () => {
  const hostile = '<script>alert(1)</script>';

  it('escapes interpolated strings and numbers but not the template itself', () => {
    expect(render(html`<p class="x">${hostile} ${42}</p>`)).toBe('<p class="x">&lt;script&gt;alert(1)&lt;/script&gt; 42</p>');
  });

  it('keeps an attribute value inside its quotes', () => {
    const out = render(html`<a title="${'"><img src=x onerror=alert(1)>'}" href="${"x' onmouseover='y"}">t</a>`);
    expect(out).toBe('<a title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" href="x&#39; onmouseover=&#39;y">t</a>');
  });

  it('nests templates without escaping them twice', () => {
    const inner = html`<b>${hostile}</b>`;
    expect(render(html`<div>${inner}</div>`)).toBe('<div><b>&lt;script&gt;alert(1)&lt;/script&gt;</b></div>');
  });

  it('renders arrays item by item, escaping plain strings and keeping SafeHtml', () => {
    const items = ['<i>', 'b'].map((s) => html`<li>${s}</li>`);
    expect(render(html`<ul>${items}</ul>`)).toBe('<ul><li>&lt;i&gt;</li><li>b</li></ul>');
    expect(render(html`${['<a>', html`<br>`]}`)).toBe('&lt;a&gt;<br>');
  });

  it('renders null, undefined and false as nothing, for conditional fragments', () => {
    const missing: string | undefined = undefined;
    expect(render(html`[${null}${missing}${false}${missing && html`<x>`}]`)).toBe('[]');
    expect(render(html`[${0}]`)).toBe('[0]');
  });

  it('treats only SafeHtml as trusted: a look-alike object is escaped as text', () => {
    const fake = { __html: '<b>' } as unknown as SafeHtml;
    expect(render(html`${fake}`)).toBe('[object Object]');
  });

  it('lets raw() and join() mark trusted markup', () => {
    expect(render(html`${raw('<hr>')}`)).toBe('<hr>');
    expect(render(join(['<a>', html`<b>x</b>`], html`<br>`))).toBe('&lt;a&gt;<br><b>x</b>');
    expect(render(join(['a', 'b'], ' & '))).toBe('a &amp; b');
  });
});
