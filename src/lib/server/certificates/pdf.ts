// The certificate as a PDF: A4 landscape, Noto Sans SC from an npm package (subset by pdfkit to
// the glyphs used, so a page is tens of kilobytes), and a vector QR code to the public
// verification URL.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { localDay, type CertificateView } from './certificates';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | null = null;

function loadFonts() {
	fonts ??= {
		regular: readFileSync(
			require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf')
		),
		bold: readFileSync(
			require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf')
		)
	};
	return fonts;
}

const TEAL = '#0f766e';
const INK = '#0f172a';
const MUTED = '#475569';

function cnDate(day: string): string {
	const [y, m, d] = day.split('-').map(Number);
	return `${y} 年 ${m} 月 ${d} 日`;
}

function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number) {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size;
	const cell = size / n;
	doc.save().fillColor(INK);
	for (let r = 0; r < n; r++)
		for (let c = 0; c < n; c++)
			if (qr.modules.get(r, c)) doc.rect(x + c * cell, y + r * cell, cell + 0.05, cell + 0.05);
	doc.fill().restore();
}

export async function certificatePdf(
	cert: CertificateView,
	verifyUrl: string
): Promise<Uint8Array> {
	const { regular, bold } = loadFonts();
	const doc = new PDFDocument({
		size: 'A4',
		layout: 'landscape',
		margin: 0,
		info: {
			Title: `上岗认证证书 ${cert.number}`,
			Author: '星联通信 客户服务中心',
			Subject: cert.programTitle,
			Keywords: cert.number
		}
	});
	doc.registerFont('body', regular);
	doc.registerFont('bold', bold);
	const chunks: Buffer[] = [];
	doc.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));

	const W = doc.page.width;
	const H = doc.page.height;
	// Frame
	doc
		.lineWidth(3)
		.strokeColor(TEAL)
		.rect(24, 24, W - 48, H - 48)
		.stroke();
	doc
		.lineWidth(0.8)
		.rect(34, 34, W - 68, H - 68)
		.stroke();

	const center = (text: string, y: number, font: string, size: number, color = INK) => {
		doc
			.font(font)
			.fontSize(size)
			.fillColor(color)
			.text(text, 60, y, { width: W - 120, align: 'center', lineBreak: false });
	};

	center('星联通信 · 客户服务中心', 62, 'body', 13, TEAL);
	center('上岗认证证书', 88, 'bold', 36);
	center('Go-Live Certificate', 140, 'body', 13, MUTED);

	center('兹证明', 182, 'body', 14, MUTED);
	center(cert.holderName, 204, 'bold', 30);
	if (cert.employeeNo) center(`工号 ${cert.employeeNo}`, 246, 'body', 12, MUTED);
	center(`已完成「${cert.programTitle}」的全部阶段培训与考核，`, 274, 'body', 14);
	center('经培训班主任评定合格，准予正式上岗。', 296, 'body', 14);
	center(
		`has completed every stage of "${cert.programTitleEn}" and is certified to go live.`,
		324,
		'body',
		10,
		MUTED
	);

	// Facts
	const facts: [string, string][] = [
		['证书编号', cert.number],
		['培训班级', cert.cohortName],
		['发证日期', cnDate(localDay(cert.issuedAt))],
		['有效期至', cert.validUntil ? cnDate(cert.validUntil) : '长期有效'],
		['内容版本', cert.contentVersion.slice(0, 12)]
	];
	let y = 366;
	for (const [label, value] of facts) {
		doc
			.font('body')
			.fontSize(11)
			.fillColor(MUTED)
			.text(label, 110, y, { width: 80, lineBreak: false });
		doc
			.font(label === '证书编号' ? 'bold' : 'body')
			.fontSize(11)
			.fillColor(INK)
			.text(value, 190, y, { width: 330, lineBreak: false });
		y += 22;
	}

	// Verification
	const qrSize = 118;
	const qrX = W - 110 - qrSize;
	const qrY = 352;
	drawQr(doc, verifyUrl, qrX, qrY, qrSize);
	doc
		.font('body')
		.fontSize(9)
		.fillColor(MUTED)
		.text('扫码验证 · Scan to verify', qrX - 20, qrY + qrSize + 6, {
			width: qrSize + 40,
			align: 'center'
		});
	doc
		.font('bold')
		.fontSize(11)
		.fillColor(INK)
		.text(cert.groupedCode, qrX - 40, qrY + qrSize + 20, { width: qrSize + 80, align: 'center' });

	doc
		.font('body')
		.fontSize(9)
		.fillColor(MUTED)
		.text(`验证地址：${verifyUrl}`, 60, H - 70, {
			width: W - 120,
			align: 'center',
			lineBreak: false
		});

	if (cert.status === 'revoked') {
		doc.save().rotate(-18, { origin: [W / 2, H / 2] });
		doc
			.lineWidth(4)
			.strokeColor('#b91c1c')
			.roundedRect(W / 2 - 170, H / 2 - 50, 340, 100, 12)
			.stroke();
		doc
			.font('bold')
			.fontSize(44)
			.fillColor('#b91c1c')
			.text('已撤销 REVOKED', W / 2 - 170, H / 2 - 28, {
				width: 340,
				align: 'center',
				lineBreak: false
			});
		doc.restore();
	}
	doc.end();
	await done;
	return new Uint8Array(Buffer.concat(chunks));
}
