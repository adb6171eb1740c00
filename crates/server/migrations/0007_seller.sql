-- Seller console: uploaded photos get resized WebP copies for `srcset`, kept as a JSON
-- array of {"url","width"} beside the image (empty for the demo's SVG illustrations).
ALTER TABLE product_images ADD COLUMN renditions TEXT NOT NULL DEFAULT '[]';
