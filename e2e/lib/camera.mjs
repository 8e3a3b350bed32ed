// A fake camera for Chromium: a .y4m video (one 640×480 I420 frame, which Chromium repeats)
// showing a QR code drawn with the `qrcode` package, plus helpers to watch the camera's tracks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import QRCode from 'qrcode';
import { launchProfile, newProfileDir } from './browser.mjs';

export const WIDTH = 640;
export const HEIGHT = 480;

/**
 * Luminance (one byte per pixel, 255 = white) of a picture with the QR code of `text` in its
 * middle, `pixels` per module, with a light quiet zone and a slightly grey, uneven background.
 */
export function qrLuma(text, { width = WIDTH, height = HEIGHT, pixels, invert = false } = {}) {
  const luma = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) luma[y * width + x] = 170 + Math.round(40 * x / width);
  }
  if (text === null) return luma;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const px = pixels ?? Math.max(2, Math.floor(Math.min(width, height) * 0.8 / (size + 8)));
  const side = (size + 8) * px;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / px) - 4;
      const my = Math.floor(y / px) - 4;
      const dark = mx >= 0 && my >= 0 && mx < size && my < size && modules.get(my, mx);
      luma[(top + y) * width + left + x] = Boolean(dark) !== invert ? 25 : 235;
    }
  }
  return luma;
}

/** A YUV4MPEG2 file of one 640×480 frame (4:2:0, grey chroma) showing the QR code of `text`
 *  (`null`: no code at all). Returns its path. */
export function qrVideo(text, options = {}) {
  const luma = qrLuma(text, options);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F30:1 Ip A1:1 C420jpeg\nFRAME\n`);
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-camera-')), 'camera.y4m');
  fs.writeFileSync(file, Buffer.concat([header, Buffer.from(luma), chroma]));
  return file;
}

/** A greyscale PNG of `luma` (one byte per pixel). */
export function png(luma, width, height) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(data.length + 12);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body), data.length + 8);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // 8 bits, greyscale (colour type 0), no interlace
  const rows = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(luma.subarray(y * width, (y + 1) * width)).copy(rows, y * (width + 1) + 1);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG file of the same picture as the camera's (`null`: no code), for the image input. */
export function qrImage(text, { width = WIDTH, height = HEIGHT, ...options } = {}) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-image-')), 'code.png');
  fs.writeFileSync(file, png(qrLuma(text, { width, height, ...options }), width, height));
  return file;
}

/** Chromium's flags for a fake camera showing `video` (a .y4m); with `allow: false`, the
 *  person refuses the camera. */
export function cameraArgs(video, { allow = true } = {}) {
  return [
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${video}`,
    allow ? '--use-fake-ui-for-media-stream' : '--deny-permission-prompts',
  ];
}

/** Records every camera track the page gets (window.__tracks), to check they are stopped, and
 *  counts the pictures sent to the engine's QR reader (window.__frames). */
export const RECORD_TRACKS = () => {
  window.__tracks = [];
  window.__cameraRequests = 0;
  window.__frames = 0;
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, transfer) {
    if (message && message.bitmap) window.__frames += 1;
    return post.call(this, message, transfer);
  };
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    window.__cameraRequests += 1;
    const stream = await original(constraints);
    window.__tracks.push(...stream.getTracks());
    return stream;
  };
};

/** The states of the camera tracks the page got so far ('live' or 'ended'). */
export function trackStates(page) {
  return page.evaluate(() => window.__tracks.map((t) => t.readyState));
}

/** A fresh browser whose camera shows the QR code of `text`, with the tracks recorded. */
export async function launchWithCamera(text, { allow = true, profile = newProfileDir(), ...options } = {}) {
  const browser = await launchProfile(profile, { args: cameraArgs(qrVideo(text, options), { allow }) });
  await browser.context.addInitScript(RECORD_TRACKS);
  return browser;
}
